import {
  defineJob,
  isJobError,
  JobService,
  NoDeadLetterQueueError,
  PermanentJobError,
} from "@glasswork/core";
import { ManualClock, MockQueueDriver } from "@glasswork/driver-mock";
import { describe, expect, it } from "vitest";
import { bootstrapWorker } from "./bootstrap-worker.js";
import { listDeadLetters, RedriveError, redriveDeadLetters } from "./dead-letters.js";
import { messageToRecord } from "./message-to-record.js";

let broken = true;
const fragile = defineJob<{ n: number }>({
  name: "fragile",
  handler: () => {
    if (broken) throw new PermanentJobError("dependency missing");
  },
});

async function runOnce(driver: MockQueueDriver, handler: ReturnType<typeof bootstrapWorker>) {
  const messages = await driver.receive("default");
  const source = {
    eventSourceARN: "arn:aws:sqs:us-east-1:123456789012:default",
    awsRegion: "us-east-1",
  };
  return handler({ Records: messages.map((m) => messageToRecord(m, source)) }, {
    getRemainingTimeInMillis: () => 60_000,
  } as never);
}

describe("dead letters", () => {
  it("lists dead letters with their reasons without removing them, then redrives them to run again", async () => {
    broken = true;
    const driver = new MockQueueDriver();
    const jobs = new JobService(driver);
    const handler = bootstrapWorker({ jobs: [fragile], driver, logger: silent });
    const sent = await jobs.enqueueBatch([1, 2, 3].map((n) => ({ job: fragile, payload: { n } })));
    await runOnce(driver, handler);

    const dead = await listDeadLetters(driver, "default");
    expect(dead).toHaveLength(3);
    expect(dead[0]).toMatchObject({
      sourceQueue: "default",
      reason: "permanent",
      error: "PermanentJobError: dependency missing",
      attempt: 1,
      jobName: "fragile",
      payload: { n: 1 },
    });
    expect(new Set(dead.map((d) => d.jobId))).toEqual(new Set(sent.map((s) => s.jobId)));
    expect(await driver.stats("default-dlq")).toMatchObject({ visible: 3, inFlight: 0 });
    expect(await listDeadLetters(driver, "default", { limit: 2 })).toHaveLength(2);

    broken = false;
    expect(await redriveDeadLetters(driver, "default")).toEqual({ moved: 3, failed: 0 });
    expect(await driver.stats("default-dlq")).toEqual({ visible: 0, inFlight: 0, delayed: 0 });
    const back = driver.messages("default");
    expect(back.map((m) => m.attributes)).toEqual(
      [1, 2, 3].map(() => ({ "glasswork.job": "fragile" })),
    );
    expect((await runOnce(driver, handler)).batchItemFailures).toEqual([]);
    expect(driver.messages("default")).toHaveLength(3); // the mock leaves deletion to the poller/Lambda
  });

  it("keeps messages in the dead-letter queue when they cannot be sent back", async () => {
    const driver = new MockQueueDriver();
    await driver.send([{ queue: "default-dlq", body: "not json", attributes: {} }]);
    driver.failEntries(() => true, { retryable: false });
    expect(await redriveDeadLetters(driver, "default", { limit: 1 })).toEqual({
      moved: 0,
      failed: 1,
    });
    expect(driver.messages("default-dlq")).toHaveLength(1);
    const [dead] = await listDeadLetters(driver, "default");
    // Without glasswork.dlq.* attributes it reads as moved by the queue's redrive policy.
    expect(dead).toMatchObject({
      jobName: undefined,
      reason: "max-receive-count",
      body: "not json",
    });
  });

  it("names the problem when a queue has no dead-letter queue", async () => {
    const driver = new MockQueueDriver({ deadLetterQueues: { lonely: null } });
    const error = await listDeadLetters(driver, "lonely").catch((e: unknown) => e);
    expect(error).toBeInstanceOf(NoDeadLetterQueueError);
    expect(isJobError(error, "NO_DEAD_LETTER_QUEUE")).toBe(true);
    expect((error as Error).message).toMatch(/^Queue "lonely" has no dead-letter queue/);
    await expect(redriveDeadLetters(driver, "lonely")).rejects.toBeInstanceOf(
      NoDeadLetterQueueError,
    );
  });
});

const silent = { debug() {}, info() {}, warn() {}, error() {}, child: () => silent };

describe("redrive failures", () => {
  it("stops with a RedriveError, naming what moved, when the dead-letter copies cannot be deleted", async () => {
    const driver = new MockQueueDriver();
    await driver.send(
      [1, 2].map((n) => ({ queue: "default-dlq", body: `{"n":${n}}`, attributes: {} })),
    );
    driver.failNext("delete");
    const error = await redriveDeadLetters(driver, "default").catch((e: unknown) => e);
    expect(error).toBeInstanceOf(RedriveError);
    expect(isJobError(error, "REDRIVE_INCOMPLETE")).toBe(true);
    expect(error).toMatchObject({ moved: 2, failed: 0 });
    expect(driver.messages("default")).toHaveLength(2);
    expect(driver.messages("default-dlq")).toHaveLength(2);
  });
});

describe("a dead-letter queue filled by the queue's own redrive policy", () => {
  it("lists a message moved at maxReceiveCount (a worker that crashed every time) as moved by the redrive policy (max-receive-count), with its receive count", async () => {
    const clock = new ManualClock();
    const driver = new MockQueueDriver({ clock, maxReceiveCount: { default: 3 } });
    const [sent] = await new JobService(driver).enqueueBatch([{ job: fragile, payload: { n: 9 } }]);
    // Received and never settled, as when the worker crashes or times out each time.
    for (let i = 0; i < 4; i++) {
      await driver.receive("default", { visibilityTimeoutSeconds: 1 });
      clock.advance(2);
    }

    const [dead] = await listDeadLetters(driver, "default");
    expect(dead).toMatchObject({
      reason: "max-receive-count",
      attempt: undefined,
      receiveCount: 4,
      sourceQueue: undefined,
      jobName: "fragile",
      jobId: sent?.jobId,
    });
    expect(dead?.error).toBe(
      "moved by the queue's redrive policy after maxReceiveCount (3) receives (received 4 times, receives of the dead-letter queue included)",
    );
  });
});
