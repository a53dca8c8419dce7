import { defineJob, JobService } from "@glasswork/core";
import { SQSQueueDriver } from "@glasswork/driver-sqs";
import { describe, expect, it } from "vitest";
import { listDeadLetters } from "./list-dead-letters.js";
// fauxqs in this process, on 127.0.0.1 (the SQS driver's own test server helper).
import { useFauxqsTestServer } from "./test-fauxqs.js";

// Issue 18 item 6 (ported from the worker's dead-letter tools): SQS's redrive at maxReceiveCount
// adds no glasswork.dlq.* attributes, so these dead letters were listed without any reason.

const sqs = useFauxqsTestServer();

const report = defineJob<{ id: string }>({ name: "build-report", handler: () => {} });

describe("listDeadLetters on SQS, for a message the queue's redrive policy (maxReceiveCount 5) moved", () => {
  it("reads it as max-receive-count, with the job and the receive count", async () => {
    const { queue } = await sqs.createQueueSet("redriven");
    const driver = new SQSQueueDriver({ ...sqs.clientConfig, queues: { default: queue.url } });
    const sent = await new JobService(driver).enqueue(report, { id: "r-1" });
    // A worker that crashes before settling: every receive ends without a delete.
    for (let i = 0; i < 6; i++) await driver.receive("default", { visibilityTimeoutSeconds: 0 });

    const {
      letters: [dead],
    } = await listDeadLetters(driver, "default", { waitTimeSeconds: 0, unknownSource: "include" });
    expect(dead).toMatchObject({
      messageId: sent.messageId,
      reason: "max-receive-count",
      attempt: undefined,
      jobName: "build-report",
      jobId: sent.jobId,
      payload: { id: "r-1" },
    });
    expect(dead?.receiveCount).toBeGreaterThan(5);
    expect(dead?.error).toMatch(
      /^moved by the queue's redrive policy after maxReceiveCount receives \(received \d+ times/,
    );
    await driver.dispose();
  });
});
