import { defineJob, type QueueInfo } from "@glasswork/core";
import { SQSQueueDriver } from "@glasswork/driver-sqs";
import { describe, expect, it } from "vitest";
import {
  createHealthyQueue,
  createMisconfiguredDeployment,
  MISCONFIGURED_FINDINGS,
  useFauxqsTestServer,
} from "../test-fauxqs.js";
import { checkDeadlineMargin } from "./check-deadline-margin.js";
import { doctor } from "./doctor.js";

const sqs = useFauxqsTestServer();

describe("doctor on a deliberately misconfigured fauxqs deployment", () => {
  it("lists each finding with its fix", async () => {
    const driver = new SQSQueueDriver({
      ...sqs.clientConfig,
      queues: await createMisconfiguredDeployment(sqs),
    });
    const jobs = [
      defineJob({
        name: "send-email",
        queue: "emails",
        retry: { maxAttempts: 5 },
        handler: () => {},
      }),
      defineJob({ name: "build-report", queue: "reports", handler: () => {} }),
      defineJob({ name: "ship-order", queue: "orders.fifo", retry: 3, handler: () => {} }),
    ];

    const { findings } = await doctor(driver, {
      jobs,
      worker: {
        emails: { functionTimeoutSeconds: 30, reportBatchItemFailures: false },
        reports: { functionTimeoutSeconds: 3 },
      },
    });
    for (const f of findings)
      console.log(
        `[ops] doctor: ${f.severity} ${f.check} (${f.queue}): ${f.message}\n    fix: ${f.fix}`,
      );

    expect(findings.map((f) => [f.queue, f.check, f.severity])).toEqual(MISCONFIGURED_FINDINGS);
    expect(findings.every((f) => f.fix.length > 0)).toBe(true);
    expect(findings[0]?.fix).toContain("at least 5");
    await driver.dispose();
  }, 30_000);

  it("finds nothing in a deployment that matches its jobs", async () => {
    const queue = await createHealthyQueue(sqs);
    const driver = new SQSQueueDriver({ ...sqs.clientConfig, queues: { default: queue.url } });
    const { findings } = await doctor(driver, {
      jobs: [defineJob({ name: "ok", handler: () => {} })],
      worker: { functionTimeoutSeconds: 30, reportBatchItemFailures: true },
    });
    expect(findings).toEqual([]);
    await driver.dispose();
  }, 30_000);
});

describe("checkDeadlineMargin", () => {
  const info: QueueInfo = { fifo: false, deadLetterQueue: "dlq", maxReceiveCount: 30 };
  const facts = (functionTimeoutSeconds: number, deadlineMarginMs?: number) => ({
    queue: "default",
    info,
    deadLetterInfo: info,
    jobs: [],
    worker: {
      functionTimeoutSeconds,
      ...(deadlineMarginMs === undefined ? {} : { deadlineMarginMs }),
    },
    producerMaxMessageBytes: 262_144,
  });

  it.each([
    [3, undefined, 1],
    [5, undefined, 1],
    [6, undefined, 0],
    [30, undefined, 0],
    [3, 1_000, 0],
  ])("a %i s function with margin %s ms: %i finding(s)", (timeout, margin, count) => {
    expect(checkDeadlineMargin(facts(timeout, margin))).toHaveLength(count);
  });
});
