import { ReceiveMessageCommand } from "@aws-sdk/client-sqs";
import {
  DEAD_LETTER_ATTRIBUTES,
  defineJob,
  JobService,
  PermanentJobError,
  silentLogger,
} from "@glasswork/core";
import { SQSQueueDriver } from "@glasswork/driver-sqs";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import {
  type FauxqsTestServer,
  startFauxqsTestServer,
  type TestQueueSet,
} from "../../driver-sqs/src/test-fauxqs.js";
import { bootstrapWorker } from "./bootstrap-worker.js";
import { lambdaContext, sqsEvent } from "./test-harness.js";

// Issue 12 item 12: SQS accepts only #x9 #xA #xD #x20–#xD7FF #xE000–#xFFFD #x10000–#x10FFFF in
// attribute values. An error that quotes a CLI tool's coloured stderr (ANSI escapes), a NUL from a
// C library or half a surrogate pair would make the dead-letter move fail, so the handler ran
// again on every receive.

let sqs: FauxqsTestServer;
let queues: TestQueueSet;
beforeAll(async () => {
  sqs = await startFauxqsTestServer();
  queues = await sqs.createQueueSet("dlq-text");
});
afterAll(async () => {
  await sqs.stop();
});

describe("a job that fails for good with control characters in its error (ffmpeg's coloured stderr)", () => {
  it("is dead-lettered on the first try with the text cleaned to what SQS accepts", async () => {
    let runs = 0;
    const transcode = defineJob<{ file: string }>({
      name: "transcode",
      handler: () => {
        runs++;
        throw new PermanentJobError(
          "\u001b[31mffmpeg: invalid data\u001b[0m at \u0000offset 12 \u0007 half \ud83d pair \ud83d\ude00",
        );
      },
    });
    const driver = new SQSQueueDriver({
      ...sqs.clientConfig,
      queues: { default: queues.queue.url },
    });
    await new JobService(driver).enqueue(transcode, { file: "a.mov" });
    const worker = bootstrapWorker({ jobs: [transcode], driver, logger: silentLogger });
    const received = await driver.receive("default", { maxMessages: 10 });

    const response = await worker(sqsEvent(received), lambdaContext());

    expect(response.batchItemFailures).toEqual([]);
    expect(runs).toBe(1);
    const dead = await sqs.client.send(
      new ReceiveMessageCommand({
        QueueUrl: queues.deadLetter.url,
        MessageAttributeNames: ["All"],
        MaxNumberOfMessages: 10,
      }),
    );
    expect(dead.Messages).toHaveLength(1);
    expect(dead.Messages?.[0]?.MessageAttributes?.[DEAD_LETTER_ATTRIBUTES.error]?.StringValue).toBe(
      "PermanentJobError: ffmpeg: invalid data at \ufffdoffset 12 \ufffd half \ufffd pair \ud83d\ude00",
    );
    expect(await sqs.depth(queues.queue)).toEqual({ visible: 0, inFlight: 0, delayed: 0 });
    await driver.dispose();
  });
});
