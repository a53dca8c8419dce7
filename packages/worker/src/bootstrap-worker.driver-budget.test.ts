import { defineJob, QueueDriverError } from "@glasswork/core";
import { afterEach, beforeEach, describe, expect, it, vi } from "vitest";
import { lambdaContext, setupWorker } from "./test-harness.js";

// The driver calls that settle records after the give-up are raced against what is left of the
// invocation: a throttled one is treated as not done (the record comes back), never awaited past
// the hard deadline.

beforeEach(() => {
  vi.useFakeTimers({
    toFake: ["setTimeout", "clearTimeout", "setInterval", "clearInterval", "Date", "performance"],
  });
});
afterEach(() => {
  vi.useRealTimers();
});

describe("Lambda (3 s timeout), a job on its last attempt still running at the give-up, SendMessage to the DLQ throttled (fails after 400 ms of the SDK's retries)", () => {
  it("answers before the hard deadline with the record failed, and moves it on the next receive without running it", async () => {
    let runs = 0;
    const job = defineJob<{ n: number }>({
      name: "slow",
      retry: { maxAttempts: 1 },
      handler: async () => {
        runs++;
        if (runs === 1) await new Promise((resolve) => setTimeout(resolve, 10_000));
      },
    });
    const w = setupWorker({ jobs: [job], hookSets: [] });
    const moveToDeadLetter = w.driver.moveToDeadLetter.bind(w.driver);
    let throttled = true;
    w.driver.moveToDeadLetter = async (...args) => {
      if (!throttled) return moveToDeadLetter(...args);
      await new Promise((resolve) => setTimeout(resolve, 400));
      throw new QueueDriverError("default", "moveToDeadLetter", "Throttling", { retryable: true });
    };
    await w.jobs.enqueue(job, { n: 1 });

    const startedAt = Date.now();
    let answeredAfterMs = Number.POSITIVE_INFINITY;
    const first = w.invoke("default", lambdaContext({ remainingMs: 3_000 })).then((result) => {
      answeredAfterMs = Date.now() - startedAt;
      return result;
    });
    await vi.advanceTimersByTimeAsync(3_000);
    const { failed } = await first;
    expect(answeredAfterMs).toBeLessThan(3_000);
    expect(failed).toHaveLength(1);
    expect(w.log.find("error", /could not dead-letter the message/)).toHaveLength(1);

    await vi.advanceTimersByTimeAsync(10_000); // the late call fails; the first run ends
    throttled = false;
    w.clock.advance("30s");
    const second = await w.invoke("default", lambdaContext({ remainingMs: 3_000 }));
    expect(second.received).toHaveLength(1);
    expect(second.failed).toEqual([]);
    expect(w.driver.deadLetters.map((d) => d.reason)).toEqual(["retry-exhausted"]);
    expect(runs).toBe(1);
  });
});
