import { defineJob, type JobContext } from "@glasswork/core";
import { afterEach, beforeEach, describe, expect, it, vi } from "vitest";
import { lambdaContext, setupWorker, sqsEvent } from "./test-harness.js";

// Issue 12 items 1–3: the deadline margin must fit the function users really deploy (Lambda's
// default timeout is 3 s), hooks after the give-up point must not overrun the invocation, and a
// remaining time beyond setTimeout's range must not fire the deadline at once. Fake timers drive
// the invocation's clock (Date and setTimeout); the queue runs on the mock's ManualClock.

beforeEach(() => {
  vi.useFakeTimers({
    toFake: ["setTimeout", "clearTimeout", "setInterval", "clearInterval", "Date", "performance"],
  });
});
afterEach(() => {
  vi.useRealTimers();
});

/** Ten quick jobs and one that waits for `ctx.signal`, recording when it fired. */
function shortJobs() {
  const ran: number[] = [];
  const abortedAfterMs: number[] = [];
  const quick = defineJob<{ n: number }>({
    name: "quick",
    handler: ({ n }) => {
      ran.push(n);
    },
  });
  const patient = defineJob<{ startedAt: number }>({
    name: "patient",
    handler: async ({ startedAt }, ctx: JobContext) => {
      await new Promise((resolve) => ctx.signal.addEventListener("abort", resolve));
      abortedAfterMs.push(Date.now() - startedAt);
    },
  });
  return { quick, patient, ran, abortedAfterMs };
}

describe("bootstrapWorker with the function timeouts users deploy (deadlineMarginMs 3,000 by default)", () => {
  it.each([
    // remaining ms, the margin it uses, whether the cold start warns
    [2_500, 2_500 / 3, true],
    [3_000, 1_000, true],
    [5_000, 5_000 / 3, true],
    [15_000, 3_000, false],
    [900_000, 3_000, false],
  ])(
    "with %i ms left runs every short job and aborts ctx.signal at a margin of %d ms",
    async (remainingMs, marginMs, warns) => {
      const { quick, patient, ran, abortedAfterMs } = shortJobs();
      const w = setupWorker({ jobs: [quick, patient], hookSets: [] });
      for (let n = 1; n <= 9; n++) await w.jobs.enqueue(quick, { n });
      await w.jobs.enqueue(patient, { startedAt: Date.now() });

      const invocation = w.invoke("default", lambdaContext({ remainingMs }));
      await vi.advanceTimersByTimeAsync(remainingMs);
      const { failed } = await invocation;

      expect(ran.sort((a, b) => a - b)).toEqual([1, 2, 3, 4, 5, 6, 7, 8, 9]);
      expect(failed).toEqual([]);
      expect(abortedAfterMs).toHaveLength(1);
      // Fake timers run whole milliseconds.
      expect(abortedAfterMs[0]).toBeCloseTo(remainingMs - marginMs, -1);
      expect(w.log.find("warn", /too little for deadlineMarginMs/)).toHaveLength(warns ? 1 : 0);

      // One warning per cold start, not one per invocation.
      await w.jobs.enqueue(quick, { n: 10 });
      const next = w.invoke("default", lambdaContext({ remainingMs }));
      await vi.advanceTimersByTimeAsync(0);
      await next;
      expect(ran).toContain(10);
      expect(w.log.find("warn", /too little for deadlineMarginMs/)).toHaveLength(warns ? 1 : 0);
    },
  );

  it("says in the warning how much time jobs get and what timeout to set", async () => {
    const { quick } = shortJobs();
    const w = setupWorker({ jobs: [quick], hookSets: [] });
    await w.jobs.enqueue(quick, { n: 1 });
    await w.invoke("default", lambdaContext({ remainingMs: 3_000 }));
    const [line] = w.log.find("warn", /too little for deadlineMarginMs/);
    expect(line?.msg).toBe(
      "the function has 3000 ms for this invocation, too little for deadlineMarginMs (3000 ms): the margin is cut to 1000 ms, so jobs get about 2000 ms per invocation. Raise the function's timeout to at least 9 s (and the queue's visibility timeout to 6 times it)",
    );
    expect(line?.fields).toEqual({
      remainingMs: 3_000,
      deadlineMarginMs: 3_000,
      effectiveMarginMs: 1_000,
    });
  });

  it("with hooks that hang after the give-up point still answers before the deadline (hookTimeoutMs 2,000, 15 s left)", async () => {
    let releaseStubborn = () => {};
    const stubborn = defineJob<{ n: number }>({
      name: "stubborn",
      retry: { maxAttempts: 5, backoff: { base: 1, max: 1, jitter: "none" } },
      // Ignores ctx.signal: the worker gives up on it at remaining = margin / 3 = 1,000 ms.
      handler: () =>
        new Promise<void>((resolve) => {
          releaseStubborn = resolve;
        }),
    });
    const hang = () => new Promise<void>(() => {});
    const hanging = { onJobFailed: hang };
    const w = setupWorker({
      jobs: [stubborn],
      // Three hook sets, each may take 2,000 ms: 6 s after a give-up with 1 s left.
      worker: { hookTimeoutMs: 2_000, hooks: [hanging, hanging, hanging] },
    });
    await w.jobs.enqueue(stubborn, { n: 1 });
    const received = await w.driver.receive("default");
    const startedAt = Date.now();
    let answeredAfterMs: number | undefined;
    const response = w
      .handler(sqsEvent(received), lambdaContext({ remainingMs: 15_000 }))
      .then((r) => {
        answeredAfterMs = Date.now() - startedAt;
        return r;
      });
    await vi.advanceTimersByTimeAsync(15_000);
    releaseStubborn();

    expect(await response).toEqual({
      batchItemFailures: [{ itemIdentifier: received[0]?.messageId }],
    });
    // Give-up at 14,000 ms; the hooks share what is left up to remaining = margin / 6 (500 ms).
    expect(answeredAfterMs).toBe(14_500);
    expect(w.log.find("error", /hook onJobFailed did not settle/).length).toBeGreaterThan(0);
  });

  it("with 30 days left (beyond setTimeout's 2^31-1 ms) runs jobs and aborts only at the margin", async () => {
    const { quick, patient, ran, abortedAfterMs } = shortJobs();
    const w = setupWorker({ jobs: [quick, patient], hookSets: [] });
    await w.jobs.enqueue(quick, { n: 1 });
    await w.jobs.enqueue(patient, { startedAt: Date.now() });
    const thirtyDaysMs = 30 * 24 * 3_600_000;

    const invocation = w.invoke("default", lambdaContext({ remainingMs: thirtyDaysMs }));
    await vi.advanceTimersByTimeAsync(2 ** 31);
    expect(ran).toEqual([1]);
    expect(abortedAfterMs).toEqual([]);
    await vi.advanceTimersByTimeAsync(thirtyDaysMs - 2 ** 31);
    await invocation;
    expect(abortedAfterMs).toEqual([thirtyDaysMs - 3_000]);
  });
});
