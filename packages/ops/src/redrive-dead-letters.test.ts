import type { OutgoingMessage, QueueDriver } from "@glasswork/core";
import { describe, expect, it } from "vitest";
import { redriveDeadLetters } from "./redrive-dead-letters.js";
import {
  chargeCard,
  manyDeadLetters,
  mockWithDeadLetters,
  sendEmail,
} from "./test-dead-letters.js";

const noWait = { waitTimeSeconds: 0 } as const;

describe("redriveDeadLetters", () => {
  it("ends even without a limit when a live worker dead-letters every redriven job again at once", async () => {
    const { driver, clock } = await mockWithDeadLetters(manyDeadLetters(30));
    // A worker that fails each job again the moment it is back in its queue.
    const live = new Proxy(driver, {
      get(target, property, receiver) {
        if (property === "send") {
          return async (messages: readonly OutgoingMessage[]) => {
            const results = await target.send(messages);
            clock.advance(1);
            for (const message of await target.receive("default", { maxMessages: 10 })) {
              await target.moveToDeadLetter(message, {
                reason: "permanent",
                error: "again",
                attempt: 2,
              });
            }
            return results;
          };
        }
        const value = Reflect.get(target, property, receiver);
        return typeof value === "function" ? value.bind(target) : value;
      },
    }) as QueueDriver;

    const result = await redriveDeadLetters(live, "default", {
      ...noWait,
      limit: 10_000,
      now: () => clock.now(),
    });

    expect(result.moved).toBe(30);
    expect(result.skipped.arrivedAfterStart).toBeGreaterThan(0);
    expect((await driver.stats("default-dlq")).visible).toBe(30);
    expect(driver.deadLetters.filter((d) => d.error === "again")).toHaveLength(30);
  });

  it("moves at most what was in the dead-letter queue when it started", async () => {
    const { driver, clock } = await mockWithDeadLetters(manyDeadLetters(12));
    const result = await redriveDeadLetters(driver, "default", {
      ...noWait,
      now: () => clock.now(),
    });
    expect(result).toMatchObject({ depthAtStart: 12, moved: 12, failed: 0 });
    expect((await driver.stats("default")).visible).toBe(12);
    expect((await driver.stats("default-dlq")).visible).toBe(0);
  });

  it("filters by job name, reason and fingerprint, and keeps the rest in the dead-letter queue", async () => {
    const { driver, clock } = await mockWithDeadLetters([
      { job: sendEmail, key: "u_1", reason: "permanent", error: "user u_1 not found" },
      { job: sendEmail, key: "u_2", reason: "permanent", error: "user u_2 not found" },
      { job: sendEmail, key: "u_3", reason: "retry-exhausted", error: "SMTP 451" },
      { job: chargeCard, key: "o_1", reason: "permanent", error: "card declined" },
    ]);
    const now = () => clock.now();
    const byReason = await redriveDeadLetters(driver, "default", {
      ...noWait,
      now,
      jobName: "send-email",
      reason: "permanent",
      dryRun: true,
    });
    expect(byReason.moved).toBe(0);
    expect(byReason.wouldMove.map((d) => d.error)).toEqual([
      "user u_1 not found",
      "user u_2 not found",
    ]);
    // Same failure, other user: one fingerprint.
    expect(byReason.wouldMove[0]?.fingerprint).toBe(byReason.wouldMove[1]?.fingerprint);
    expect((await driver.stats("default-dlq")).visible).toBe(4); // a dry run moves nothing

    const fingerprint = byReason.wouldMove[0]?.fingerprint as string;
    const moved = await redriveDeadLetters(driver, "default", { ...noWait, now, fingerprint });
    expect(moved.moved).toBe(2);
    expect(moved.skipped.filtered).toBe(2);
    expect((await driver.stats("default-dlq")).visible).toBe(2);
  });

  it("reports progress after each batch and strips the dead-letter details from what it sends back", async () => {
    const { driver, clock } = await mockWithDeadLetters(manyDeadLetters(25));
    const progress: string[] = [];
    await redriveDeadLetters(driver, "default", {
      ...noWait,
      now: () => clock.now(),
      onProgress: (p) => progress.push(`${p.moved}/${p.total}`),
    });
    expect(progress).toEqual(["10/25", "20/25", "25/25"]);
    const [message] = await driver.receive("default", { maxMessages: 1 });
    expect(
      Object.keys(message?.attributes ?? {}).some((name) => name.startsWith("glasswork.dlq.")),
    ).toBe(false);
  });

  it("refuses a rate that is not a positive number", async () => {
    const { driver } = await mockWithDeadLetters([]);
    await expect(redriveDeadLetters(driver, "default", { ratePerSecond: 0 })).rejects.toThrow(
      RangeError,
    );
  });
});
