// Test-only (excluded from the build and the package): the fauxqs server of one test file, and
// the deliberately misconfigured deployment that the doctor's tests (ops and CLI) check.
// The CLI's tests import it by relative path.
import { afterAll, beforeAll } from "vitest";
import {
  type FauxqsTestServer,
  startFauxqsTestServer,
  type TestQueue,
} from "../../driver-sqs/src/test-fauxqs.js";

/**
 * Starts a fauxqs server before the file's tests and stops it after them. The object returned
 * stands for that server; use it inside tests and hooks, once it has started.
 *
 * @example
 * const sqs = useFauxqsTestServer();
 * it("…", async () => {
 *   const { queue } = await sqs.createQueueSet("jobs");
 * });
 */
export function useFauxqsTestServer(): FauxqsTestServer {
  let server: FauxqsTestServer | undefined;
  beforeAll(async () => {
    server = await startFauxqsTestServer();
  });
  afterAll(async () => {
    await server?.stop();
  });
  const started = (): FauxqsTestServer => {
    if (!server) throw new Error("the fauxqs test server is used before beforeAll started it");
    return server;
  };
  return {
    get endpoint() {
      return started().endpoint;
    },
    get clientConfig() {
      return started().clientConfig;
    },
    get client() {
      return started().client;
    },
    createQueue: (prefix, attributes) => started().createQueue(prefix, attributes),
    createQueueSet: (prefix) => started().createQueueSet(prefix),
    requestCount: (action) => started().requestCount(action),
    resetRequestCounts: () => started().resetRequestCounts(),
    depth: (queue) => started().depth(queue),
    stop: () => started().stop(),
  };
}

/**
 * The queue URLs of {@link createMisconfiguredDeployment}, by the logical names its jobs use:
 * `emails` has maxReceiveCount 2, a 10 s visibility timeout and 1,024-byte messages; `reports`
 * has no dead-letter queue; `orders.fifo` is FIFO with a standard dead-letter queue.
 */
export type MisconfiguredDeployment = Readonly<
  Record<"emails" | "reports" | "orders.fifo", string>
>;

/** Creates a deployment with one of each problem the doctor finds in queue configuration. */
export async function createMisconfiguredDeployment(
  sqs: FauxqsTestServer,
): Promise<MisconfiguredDeployment> {
  const dlq = await sqs.createQueue("doctor-dlq");
  const standardDlq = await sqs.createQueue("doctor-standard-dlq");
  const emails = await sqs.createQueue("doctor-low-count", {
    RedrivePolicy: JSON.stringify({ deadLetterTargetArn: dlq.arn, maxReceiveCount: 2 }),
    VisibilityTimeout: "10",
    MaximumMessageSize: "1024",
  });
  const reports = await sqs.createQueue("doctor-no-dlq");
  const orders = await sqs.createQueue("doctor-orders.fifo", {
    RedrivePolicy: JSON.stringify({ deadLetterTargetArn: standardDlq.arn, maxReceiveCount: 10 }),
  });
  return { emails: emails.url, reports: reports.url, "orders.fifo": orders.url };
}

/**
 * What the doctor finds in {@link createMisconfiguredDeployment} for its jobs (send-email on
 * emails with maxAttempts 5, build-report on reports, ship-order on orders.fifo) and workers
 * (emails: 30 s without ReportBatchItemFailures; reports: 3 s), as [queue, check, severity].
 */
export const MISCONFIGURED_FINDINGS: readonly (readonly [string, string, string])[] = [
  ["emails", "max-receive-count", "error"],
  ["emails", "visibility-timeout", "error"],
  ["emails", "message-size", "error"],
  ["emails", "report-batch-item-failures", "error"],
  ["reports", "dead-letter-queue", "error"],
  ["orders.fifo", "dead-letter-queue", "error"],
  ["reports", "deadline-margin", "warning"],
];

/** Creates a queue that matches a 30 s worker: maxReceiveCount 30, visibility timeout 180 s. */
export async function createHealthyQueue(sqs: FauxqsTestServer): Promise<TestQueue> {
  const dlq = await sqs.createQueue("healthy-dlq");
  return sqs.createQueue("healthy", {
    RedrivePolicy: JSON.stringify({ deadLetterTargetArn: dlq.arn, maxReceiveCount: 30 }),
    VisibilityTimeout: "180",
  });
}
