import { setTimeout as sleep } from "node:timers/promises";
import { SendMessageCommand } from "@aws-sdk/client-sqs";
import {
  DEAD_LETTER_ATTRIBUTES,
  defineJob,
  encodeEnvelope,
  JobService,
  PermanentJobError,
  silentLogger,
} from "@glasswork/core";
import { SQSQueueDriver } from "@glasswork/driver-sqs";
import { bootstrapWorker, startPoller } from "@glasswork/worker";
import { describe, expect, it } from "vitest";
import { listDeadLetters } from "./list-dead-letters.js";
import { redriveDeadLetters } from "./redrive-dead-letters.js";
import { useFauxqsTestServer } from "./test-fauxqs.js";

const sqs = useFauxqsTestServer();

const runs = new Map<string, number>();
// The README tour's step 5: the job keeps failing because its cause is not fixed yet.
const alwaysFails = defineJob<{ key: string }>({
  name: "always-fails",
  handler: ({ key }) => {
    runs.set(key, (runs.get(key) ?? 0) + 1);
    throw new PermanentJobError(`user ${key} does not exist`);
  },
});

async function waitFor(condition: () => Promise<boolean>, timeoutMs = 20_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!(await condition())) {
    if (Date.now() > deadline) throw new Error("timed out waiting");
    await sleep(50);
  }
}

describe("redriveDeadLetters on fauxqs", () => {
  it("returns while a live poller dead-letters every redriven job again: each dead letter moves once and runs once more", async () => {
    const { queue, deadLetter: dlq } = await sqs.createQueueSet("tour-step-5");
    const driver = new SQSQueueDriver({ ...sqs.clientConfig, queues: { default: queue.url } });
    const jobs = new JobService(driver, { logger: silentLogger });
    const handler = bootstrapWorker({ jobs: [alwaysFails], driver, logger: silentLogger });
    const keys = Array.from({ length: 25 }, (_, i) => `live-${i}`);
    await jobs.enqueueBatch(keys.map((key) => ({ job: alwaysFails, payload: { key } })));
    const poller = startPoller({
      handler,
      driver,
      queue: "default",
      waitTimeSeconds: 1,
      visibilityTimeout: 5,
      stopOnSignals: [],
      logger: silentLogger,
    });
    try {
      await waitFor(async () => (await sqs.depth(dlq)).visible === keys.length);
      expect(keys.map((key) => runs.get(key))).toEqual(keys.map(() => 1));

      const started = Date.now();
      const progress: number[] = [];
      // Rate-limited, so that the worker dead-letters the first copies again while the
      // redrive is still receiving from the dead-letter queue.
      const result = await redriveDeadLetters(driver, "default", {
        ratePerSecond: 20,
        onProgress: (p) => progress.push(p.moved),
      });
      const tookMs = Date.now() - started;

      expect(result.depthAtStart).toBe(keys.length);
      expect(result.moved).toBe(keys.length);
      expect(result.failed).toBe(0);
      expect(progress.at(-1)).toBe(keys.length);
      // The worker dead-letters each redriven copy again while the redrive runs: they must be
      // left alone, not moved in a loop.
      await waitFor(async () => (await sqs.depth(dlq)).visible === keys.length);
      await sleep(1_500);
      expect(keys.map((key) => runs.get(key))).toEqual(keys.map(() => 2));
      expect(await sqs.depth(queue)).toEqual({ visible: 0, inFlight: 0, delayed: 0 });
      console.log(
        `[ops] redrive under a live failing worker: moved ${result.moved} of ${result.depthAtStart}, skipped ${JSON.stringify(result.skipped)}, each job ran ${runs.get("live-0")} times in all, redrive took ${tookMs} ms`,
      );
    } finally {
      await poller.stop();
      await driver.dispose();
    }
  }, 60_000);

  it("moves only the asked queue's dead letters out of a dead-letter queue shared by two queues", async () => {
    const shared = await sqs.createQueue("shared-dlq");
    const redrive = JSON.stringify({ deadLetterTargetArn: shared.arn, maxReceiveCount: 5 });
    const billing = await sqs.createQueue("billing", { RedrivePolicy: redrive });
    const emails = await sqs.createQueue("emails", { RedrivePolicy: redrive });
    const driver = new SQSQueueDriver({
      ...sqs.clientConfig,
      queues: { billing: billing.url, emails: emails.url },
    });
    const billingJob = defineJob<{ key: string }>({
      name: "charge",
      queue: "billing",
      handler: () => {},
    });
    const emailJob = defineJob<{ key: string }>({
      name: "mail",
      queue: "emails",
      handler: () => {},
    });
    const jobs = new JobService(driver, { logger: silentLogger });
    await jobs.enqueueBatch([
      ...[1, 2, 3].map((n) => ({ job: billingJob, payload: { key: `b${n}` } })),
      ...[1, 2].map((n) => ({ job: emailJob, payload: { key: `e${n}` } })),
    ]);
    for (const name of ["billing", "emails"]) {
      for (const message of await driver.receive(name, { maxMessages: 10, waitTimeSeconds: 1 })) {
        await driver.moveToDeadLetter(message, { reason: "permanent", error: "x", attempt: 1 });
      }
    }
    expect((await sqs.depth(shared)).visible).toBe(5);

    const result = await redriveDeadLetters(driver, "billing");

    expect(result.moved).toBe(3);
    expect(result.skipped.otherQueue).toBe(2);
    expect((await sqs.depth(billing)).visible).toBe(3);
    expect((await sqs.depth(emails)).visible).toBe(0);
    const left = await listDeadLetters(driver, "emails");
    expect(left.letters.map((d) => d.jobName)).toEqual(["mail", "mail"]);
    await driver.dispose();
  }, 30_000);

  it("infers max-receive-count for messages SQS's redrive policy moved, and moves them only when told they are this queue's", async () => {
    const { queue, deadLetter: dlq } = await sqs.createQueueSet("crashy");
    const driver = new SQSQueueDriver({ ...sqs.clientConfig, queues: { default: queue.url } });
    const job = defineJob<{ key: string }>({ name: "crashes", handler: () => {} });
    // SQS moves the message itself after maxReceiveCount receives: no glasswork.dlq.* details.
    await sqs.client.send(
      new SendMessageCommand({
        QueueUrl: dlq.url,
        MessageBody: encodeEnvelope({
          v: 1,
          id: "job-1",
          name: "crashes",
          payload: { key: "k" },
          enqueuedAt: new Date().toISOString(),
        }),
      }),
    );
    await sleep(5);

    const { letters } = await listDeadLetters(driver, "default");
    expect(letters).toHaveLength(1);
    expect(letters[0]).toMatchObject({
      reason: "max-receive-count",
      jobName: "crashes",
      attempt: undefined,
    });
    expect(letters[0]?.attributes[DEAD_LETTER_ATTRIBUTES.reason]).toBeUndefined();

    const skipped = await redriveDeadLetters(driver, "default");
    expect(skipped).toMatchObject({ moved: 0, skipped: { unknownSource: 1 } });
    const moved = await redriveDeadLetters(driver, "default", { jobs: [job] });
    expect(moved.moved).toBe(1);
    expect((await sqs.depth(queue)).visible).toBe(1);
    expect((await sqs.depth(dlq)).visible).toBe(0);
    await driver.dispose();
  }, 30_000);
});
