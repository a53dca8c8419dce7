import {
  defineJob,
  isJobError,
  JobService,
  NoDeadLetterQueueError,
  PermanentJobError,
  silentLogger,
} from "@glasswork/core";
import { ManualClock, MockQueueDriver } from "@glasswork/driver-mock";
import { bootstrapWorker, drainQueue } from "@glasswork/worker";
import { describe, expect, it } from "vitest";
import { RedriveIncompleteError } from "./errors.js";
import { listDeadLetters } from "./list-dead-letters.js";
import { redriveDeadLetters } from "./redrive-dead-letters.js";

// Ported from the worker's dead-letter tools (packages/worker/src/dead-letters.test.ts), which
// @glasswork/ops replaces: what those tests covered that the ops tests did not.

const noWait = { waitTimeSeconds: 0 } as const;

let broken = true;
const fragile = defineJob<{ n: number }>({
  name: "fragile",
  handler: () => {
    if (broken) throw new PermanentJobError("dependency missing");
  },
});

describe("dead letters of a worker", () => {
  it("lists dead letters with their reasons without removing them, then redrives them to run again", async () => {
    broken = true;
    const driver = new MockQueueDriver();
    const jobs = new JobService(driver);
    const handler = bootstrapWorker({ jobs: [fragile], driver, logger: silentLogger });
    const sent = await jobs.enqueueBatch([1, 2, 3].map((n) => ({ job: fragile, payload: { n } })));
    await drainQueue({ handler, driver });

    const { letters: dead } = await listDeadLetters(driver, "default", noWait);
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
    expect(
      (await listDeadLetters(driver, "default", { ...noWait, limit: 2 })).letters,
    ).toHaveLength(2);

    broken = false;
    expect(await redriveDeadLetters(driver, "default", noWait)).toMatchObject({
      moved: 3,
      failed: 0,
    });
    expect(await driver.stats("default-dlq")).toEqual({ visible: 0, inFlight: 0, delayed: 0 });
    const back = driver.messages("default");
    expect(back.map((m) => m.attributes)).toEqual(
      // The redrive's own tag, so that it recognises these jobs if they fail again meanwhile.
      [1, 2, 3].map(() => ({
        "glasswork.job": "fragile",
        "glasswork.redrive.run": expect.any(String),
      })),
    );
    expect(await drainQueue({ handler, driver })).toMatchObject({ done: 3, failed: 0 });
    expect(driver.messages("default")).toHaveLength(0);
  });

  it("keeps messages in the dead-letter queue when they cannot be sent back", async () => {
    const driver = new MockQueueDriver();
    await driver.send([{ queue: "default-dlq", body: "not json", attributes: {} }]);
    driver.failEntries(() => true, { retryable: false });
    expect(
      await redriveDeadLetters(driver, "default", {
        ...noWait,
        limit: 1,
        unknownSource: "include",
      }),
    ).toMatchObject({ moved: 0, failed: 1 });
    expect(driver.messages("default-dlq")).toHaveLength(1);
    const {
      letters: [dead],
    } = await listDeadLetters(driver, "default", { ...noWait, unknownSource: "include" });
    // Without glasswork.dlq.* attributes it reads as moved by the queue's redrive policy.
    expect(dead).toMatchObject({
      jobName: undefined,
      reason: "max-receive-count",
      body: "not json",
    });
  });

  it("names the problem when a queue has no dead-letter queue", async () => {
    const driver = new MockQueueDriver({ deadLetterQueues: { lonely: null } });
    const error = await listDeadLetters(driver, "lonely", noWait).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(NoDeadLetterQueueError);
    expect(isJobError(error, "NO_DEAD_LETTER_QUEUE")).toBe(true);
    expect((error as Error).message).toMatch(/^Queue "lonely" has no dead-letter queue/);
    await expect(redriveDeadLetters(driver, "lonely", noWait)).rejects.toBeInstanceOf(
      NoDeadLetterQueueError,
    );
  });
});

describe("redrive failures", () => {
  it("stops with a RedriveIncompleteError, naming what moved, when the dead-letter copies cannot be deleted", async () => {
    const driver = new MockQueueDriver();
    const jobs = new JobService(driver, { logger: silentLogger });
    await jobs.enqueueBatch([1, 2].map((n) => ({ job: fragile, payload: { n } })));
    for (const message of await driver.receive("default", { maxMessages: 10 })) {
      await driver.moveToDeadLetter(message, { reason: "permanent", error: "E", attempt: 1 });
    }
    driver.failNext("delete");
    const error = await redriveDeadLetters(driver, "default", noWait).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(RedriveIncompleteError);
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

    const {
      letters: [dead],
    } = await listDeadLetters(driver, "default", { ...noWait, unknownSource: "include" });
    expect(dead).toMatchObject({
      reason: "max-receive-count",
      attempt: undefined,
      sourceQueue: undefined,
      jobName: "fragile",
      jobId: sent?.jobId,
    });
    expect(dead?.receiveCount).toBeGreaterThanOrEqual(4);
    expect(dead?.error).toMatch(
      /^moved by the queue's redrive policy after maxReceiveCount receives \(received \d+ times, receives of the dead-letter queue included\)$/,
    );
  });
});
