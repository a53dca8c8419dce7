import { defineJob } from "@glasswork/core";
import { afterEach, beforeEach, describe, expect, it, vi } from "vitest";
import { lambdaContext, setupWorker } from "./test-harness.js";

// A given-up handler still running in this Lambda container when its retry comes back to it:
// the retry is released (not run, not an attempt) until the first run settles.

beforeEach(() => {
  vi.useFakeTimers({
    toFake: ["setTimeout", "clearTimeout", "setInterval", "clearInterval", "Date", "performance"],
  });
});
afterEach(() => {
  vi.useRealTimers();
});

describe("a retry received while its given-up run still runs in the same container", () => {
  it("is released without running and without using an attempt, then runs once the first run settled", async () => {
    const attempts: number[] = [];
    const job = defineJob<{ n: number }>({
      name: "report",
      retry: { maxAttempts: 5, backoff: { base: 1, max: 1, jitter: "none" } },
      handler: async (_, ctx) => {
        attempts.push(ctx.attempt);
        if (attempts.length === 1) await new Promise((resolve) => setTimeout(resolve, 10_000));
      },
    });
    const w = setupWorker({ jobs: [job], hookSets: [] });
    await w.jobs.enqueue(job, { n: 1 });

    const first = w.invoke("default", lambdaContext({ remainingMs: 3_000 }));
    await vi.advanceTimersByTimeAsync(3_000);
    await first;

    w.clock.advance(1_000);
    const second = await w.invoke("default", lambdaContext({ remainingMs: 3_000 }));
    expect(second.failed).toHaveLength(1);
    expect(attempts).toEqual([1]);
    expect(w.log.find("warn", /given-up run from an earlier receive still runs/)).toHaveLength(1);

    await vi.advanceTimersByTimeAsync(10_000); // the first run settles
    w.clock.advance(10_000); // the release's visibility
    const third = await w.invoke("default", lambdaContext({ remainingMs: 3_000 }));
    expect(third.received).toHaveLength(1);
    expect(third.failed).toEqual([]);
    // Receive 3, one of them a release: attempt 2.
    expect(attempts).toEqual([1, 2]);
  });
});
