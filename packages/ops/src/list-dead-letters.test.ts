import { NoDeadLetterQueueError, type QueueDriver, type ReceiveOptions } from "@glasswork/core";
import { MockQueueDriver } from "@glasswork/driver-mock";
import { describe, expect, it } from "vitest";
import { listDeadLetters } from "./list-dead-letters.js";
import {
  chargeCard,
  deadLetter,
  manyDeadLetters,
  mockWithDeadLetters,
  sendEmail,
} from "./test-dead-letters.js";

const noWait = { waitTimeSeconds: 0 } as const;

describe("listDeadLetters", () => {
  it("returns every dead letter once with its reason, error, job and fingerprint, and leaves them in the queue", async () => {
    const { driver } = await mockWithDeadLetters([
      {
        job: sendEmail,
        key: "u_1",
        reason: "permanent",
        error: "PermanentJobError: user u_1 not found",
      },
      {
        job: chargeCard,
        key: "o_9",
        reason: "retry-exhausted",
        error: "Error: card declined (402)",
      },
    ]);
    const { letters, truncated, deadLetterQueue } = await listDeadLetters(
      driver,
      "default",
      noWait,
    );

    expect(deadLetterQueue).toBe("default-dlq");
    expect(truncated).toBe(false);
    expect(letters.map((d) => [d.jobName, d.reason, d.error, d.sourceQueue])).toEqual([
      ["send-email", "permanent", "PermanentJobError: user u_1 not found", "default"],
      ["charge-card", "retry-exhausted", "Error: card declined (402)", "default"],
    ]);
    expect(letters[0]?.fingerprint).toMatch(/^[0-9a-f]{12}$/);
    expect((await driver.stats("default-dlq")).visible).toBe(2);
  });

  it("filters by job name and reason", async () => {
    const { driver } = await mockWithDeadLetters([
      { job: sendEmail, key: "u_1", reason: "permanent", error: "a" },
      { job: chargeCard, key: "o_1", reason: "permanent", error: "b" },
      { job: chargeCard, key: "o_2", reason: "retry-exhausted", error: "c" },
    ]);
    const byJob = await listDeadLetters(driver, "default", { ...noWait, jobName: "charge-card" });
    expect(byJob.letters.map((d) => d.error)).toEqual(["b", "c"]);
    const byBoth = await listDeadLetters(driver, "default", {
      ...noWait,
      jobName: "charge-card",
      reason: "permanent",
    });
    expect(byBoth.letters.map((d) => d.error)).toEqual(["b"]);
  });

  it("ends before held messages would reappear when the dead-letter queue is too large to walk in one hold, each message once", async () => {
    const { driver, clock } = await mockWithDeadLetters(manyDeadLetters(120));
    // Every receive takes 10 s of the clock: a slow listing of a large queue.
    const slow = withReceiveHook(driver, () => clock.advance(10));
    const listing = await listDeadLetters(slow, "default", {
      ...noWait,
      holdSeconds: 60,
      now: () => clock.now(),
    });

    expect(listing.truncated).toBe(true);
    expect(listing.letters.length).toBeGreaterThan(0);
    expect(listing.letters.length).toBeLessThan(120);
    expect(new Set(listing.letters.map((d) => d.messageId)).size).toBe(listing.letters.length);
    expect((await driver.stats("default-dlq")).visible).toBe(120); // all released again
  });

  it("terminates while a worker keeps dead-lettering new jobs faster than the listing reads", async () => {
    const { driver } = await mockWithDeadLetters(manyDeadLetters(5));
    let added = 0;
    const live = withReceiveHook(driver, async () => {
      added += 20;
      await deadLetter(driver, manyDeadLetters(20));
    });
    const listing = await listDeadLetters(live, "default", { ...noWait, limit: 200 });

    expect(listing.letters).toHaveLength(200);
    expect(listing.truncated).toBe(true);
    expect(new Set(listing.letters.map((d) => d.messageId)).size).toBe(200);
    expect(added).toBeGreaterThan(200);
  });

  it("rejects with NoDeadLetterQueueError for a queue without one", async () => {
    const driver = new MockQueueDriver({ deadLetterQueues: { lonely: null } });
    await expect(listDeadLetters(driver, "lonely", noWait)).rejects.toBeInstanceOf(
      NoDeadLetterQueueError,
    );
  });
});

/** The driver with `hook` run before every receive. */
function withReceiveHook(driver: QueueDriver, hook: () => void | Promise<void>): QueueDriver {
  return new Proxy(driver, {
    get(target, property, receiver) {
      if (property === "receive") {
        return async (queue: string, options?: ReceiveOptions) => {
          await hook();
          return target.receive(queue, options);
        };
      }
      const value = Reflect.get(target, property, receiver);
      return typeof value === "function" ? value.bind(target) : value;
    },
  });
}
