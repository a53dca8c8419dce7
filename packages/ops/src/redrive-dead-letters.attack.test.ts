import { defineJob, JobService, PermanentJobError, silentLogger } from "@glasswork/core";
import { SQSQueueDriver } from "@glasswork/driver-sqs";
import { bootstrapWorker, messageToRecord } from "@glasswork/worker";
import type { Context } from "aws-lambda";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import {
  FAUXQS_REGION,
  type FauxqsTestServer,
  startFauxqsTestServer,
} from "../../driver-sqs/src/test-fauxqs.js";
import { redriveDeadLetters } from "./redrive-dead-letters.js";

// Review attacks on the bounded redrive (issue 13 item 1). `it.fails` marks a proven problem.

let sqs: FauxqsTestServer;
beforeAll(async () => {
  sqs = await startFauxqsTestServer();
});
afterAll(async () => {
  await sqs.stop();
});

const context = {
  getRemainingTimeInMillis: () => 900_000,
  awsRequestId: "r",
} as unknown as Context;

describe("a Lambda worker (records name the queue by its physical name from eventSourceARN), redrive by the logical name the driver is configured with", () => {
  // On Lambda the worker reads the queue from the record's eventSourceARN, so the dead letter's
  // source-queue attribute is the physical name ("myapp-prod-JobsQueue-1A2B3C"). The operator
  // (CLI, dashboard, example route) redrives "default", the logical name of the same queue in
  // the same driver: every dead letter is skipped as another queue's, and nothing moves.
  it.fails("moves the queue's own dead letters back", async () => {
    const dlq = await sqs.createQueue("myapp-prod-JobsDlq");
    const queue = await sqs.createQueue("myapp-prod-JobsQueue", {
      RedrivePolicy: JSON.stringify({ deadLetterTargetArn: dlq.arn, maxReceiveCount: 5 }),
    });
    const driver = new SQSQueueDriver({ ...sqs.clientConfig, queues: { default: queue.url } });
    const job = defineJob<{ n: number }>({
      name: "fails-for-good",
      handler: () => {
        throw new PermanentJobError("not yet fixed");
      },
    });
    await new JobService(driver, { logger: silentLogger }).enqueue(job, { n: 1 });
    const handler = bootstrapWorker({ jobs: [job], driver, logger: silentLogger });
    const received = await driver.receive("default", { maxMessages: 10, waitTimeSeconds: 1 });
    expect(received).toHaveLength(1);
    const response = await handler(
      {
        Records: received.map((m) =>
          messageToRecord(m, { eventSourceARN: queue.arn, awsRegion: FAUXQS_REGION }),
        ),
      },
      context,
    );
    expect(response.batchItemFailures).toEqual([]);
    expect((await sqs.depth(dlq)).visible).toBe(1);

    const result = await redriveDeadLetters(driver, "default");
    expect(result.skipped.otherQueue).toBe(0);
    expect(result.moved).toBe(1);
  });
});
