import { randomUUID } from "node:crypto";
import {
  CreateQueueCommand,
  GetQueueAttributesCommand,
  type QueueAttributeName,
  SQSClient,
} from "@aws-sdk/client-sqs";
import { buildApp } from "fauxqs";

/**
 * Test-only helper (excluded from the build and the published package): an in-process fauxqs
 * SQS server on 127.0.0.1 with a random port, plus queue factories. Other packages' tests import
 * it by relative path.
 *
 * @example
 * const sqs = await startFauxqsTestServer();
 * const { queue } = await sqs.createQueueSet("jobs");
 * const driver = new SQSQueueDriver({ ...sqs.clientConfig, queues: { default: queue.url } });
 * // …
 * await sqs.stop();
 */
export interface FauxqsTestServer {
  /** `http://127.0.0.1:<port>`: pass it as `endpoint`. */
  readonly endpoint: string;
  /** What an `SQSClient` or `SQSQueueDriver` needs to talk to this server (dummy credentials). */
  readonly clientConfig: FauxqsClientConfig;
  /** A client for test setup and inspection; closed by {@link FauxqsTestServer.stop}. */
  readonly client: SQSClient;
  /** Creates a queue with a unique name starting with `prefix` (`.fifo` kept at the end). */
  createQueue(
    prefix: string,
    attributes?: Partial<Record<QueueAttributeName, string>>,
  ): Promise<TestQueue>;
  /** Creates a set of related queues with unique names, for one test. */
  createQueueSet(prefix?: string): Promise<TestQueueSet>;
  /** How many requests of an SQS action (`"SendMessageBatch"`) the server received. */
  requestCount(action: string): number;
  /** Sets every request count back to zero. */
  resetRequestCounts(): void;
  /** Reads a queue's approximate counts straight from the server. */
  depth(queue: TestQueue): Promise<{ visible: number; inFlight: number; delayed: number }>;
  /** Stops the server and the setup client. */
  stop(): Promise<void>;
}

/** Client settings for a {@link FauxqsTestServer}. */
export interface FauxqsClientConfig {
  readonly endpoint: string;
  readonly region: string;
  readonly credentials: { readonly accessKeyId: string; readonly secretAccessKey: string };
}

/** A queue created on the test server. */
export interface TestQueue {
  /** Its physical name (the last segment of its URL and ARN). */
  readonly name: string;
  readonly url: string;
  readonly arn: string;
}

/** Queues created by {@link FauxqsTestServer.createQueueSet}. */
export interface TestQueueSet {
  /** A standard queue whose dead-letter queue is `deadLetter` (maxReceiveCount 5). */
  readonly queue: TestQueue;
  readonly deadLetter: TestQueue;
  /** A standard queue without a dead-letter queue. */
  readonly plain: TestQueue;
  /** A FIFO queue whose dead-letter queue is `fifoDeadLetter` (maxReceiveCount 5). */
  readonly fifo: TestQueue;
  readonly fifoDeadLetter: TestQueue;
  /** A standard queue limited to 262,144-byte messages (SQS's classic limit). */
  readonly small: TestQueue;
}

/** The region the test server and its clients use. */
export const FAUXQS_REGION = "us-east-1";

/**
 * Starts fauxqs in this process on 127.0.0.1 and an ephemeral port. Its CLI and
 * `startFauxqs()` are avoided on purpose: they bind every interface.
 */
export async function startFauxqsTestServer(): Promise<FauxqsTestServer> {
  const app = buildApp({ logger: false });
  const counts = new Map<string, number>();
  app.addHook("onRequest", (request, _reply, done) => {
    const target = request.headers["x-amz-target"];
    if (typeof target === "string") {
      const action = target.slice(target.lastIndexOf(".") + 1);
      counts.set(action, (counts.get(action) ?? 0) + 1);
    }
    done();
  });
  const endpoint = await app.listen({ host: "127.0.0.1", port: 0 });
  const clientConfig: FauxqsClientConfig = {
    endpoint,
    region: FAUXQS_REGION,
    credentials: { accessKeyId: "test", secretAccessKey: "test" },
  };
  const client = new SQSClient(clientConfig);

  async function createQueue(
    prefix: string,
    attributes: Partial<Record<QueueAttributeName, string>> = {},
  ): Promise<TestQueue> {
    const fifo = prefix.endsWith(".fifo");
    const base = fifo ? prefix.slice(0, -".fifo".length) : prefix;
    const name = `${base}-${randomUUID().slice(0, 8)}${fifo ? ".fifo" : ""}`;
    const { QueueUrl } = await client.send(
      new CreateQueueCommand({
        QueueName: name,
        Attributes: fifo ? { FifoQueue: "true", ...attributes } : attributes,
      }),
    );
    if (!QueueUrl) throw new Error(`fauxqs returned no URL for ${name}`);
    return { name, url: QueueUrl, arn: `arn:aws:sqs:${FAUXQS_REGION}:000000000000:${name}` };
  }

  const redrive = (deadLetter: TestQueue) =>
    JSON.stringify({ deadLetterTargetArn: deadLetter.arn, maxReceiveCount: 5 });

  return {
    endpoint,
    clientConfig,
    client,
    createQueue,
    async createQueueSet(prefix = "test") {
      const [deadLetter, fifoDeadLetter, plain, small] = await Promise.all([
        createQueue(`${prefix}-dlq`),
        createQueue(`${prefix}-dlq.fifo`),
        createQueue(`${prefix}-plain`),
        createQueue(`${prefix}-small`, { MaximumMessageSize: "262144" }),
      ]);
      const [queue, fifo] = await Promise.all([
        createQueue(prefix, { RedrivePolicy: redrive(deadLetter) }),
        createQueue(`${prefix}.fifo`, { RedrivePolicy: redrive(fifoDeadLetter) }),
      ]);
      return { queue, deadLetter, plain, fifo, fifoDeadLetter, small };
    },
    requestCount: (action) => counts.get(action) ?? 0,
    resetRequestCounts: () => counts.clear(),
    async depth(queue) {
      const { Attributes = {} } = await client.send(
        new GetQueueAttributesCommand({
          QueueUrl: queue.url,
          AttributeNames: [
            "ApproximateNumberOfMessages",
            "ApproximateNumberOfMessagesNotVisible",
            "ApproximateNumberOfMessagesDelayed",
          ],
        }),
      );
      return {
        visible: Number(Attributes.ApproximateNumberOfMessages ?? 0),
        inFlight: Number(Attributes.ApproximateNumberOfMessagesNotVisible ?? 0),
        delayed: Number(Attributes.ApproximateNumberOfMessagesDelayed ?? 0),
      };
    },
    async stop() {
      client.destroy();
      await app.close();
    },
  };
}
