import type { JobFailure } from "@glasswork/core";
import { defineJob, type JobContext, TransientJobError } from "@glasswork/core";
import { describe, expect, it } from "vitest";
import { callsOf, lambdaContext, latch, must, setupWorker, sleep } from "../test-harness.js";
import { Deadline } from "./deadline.js";

describe("Deadline", () => {
  it("fires the signal at remaining = margin and gives up at remaining = margin / 3", async () => {
    const deadline = new Deadline(300, 240);
    let gaveUp = false;
    void deadline.giveUp().then(() => {
      gaveUp = true;
    });
    try {
      expect(deadline.signal.aborted).toBe(false);
      await new Promise((resolve) => deadline.signal.addEventListener("abort", resolve));
      expect(gaveUp).toBe(false);
      expect(deadline.signal.reason).toMatchObject({
        name: "DeadlineError",
        message: "the invocation deadline is near",
      });
      await deadline.giveUp();
      expect(gaveUp).toBe(true);
    } finally {
      deadline.dispose();
    }
  });

  it("is already aborted and given up when created inside the margin", async () => {
    const deadline = new Deadline(500, 3_000);
    try {
      // Synchronously: a batch checks the signal before it starts its first record.
      expect(deadline.signal.aborted).toBe(true);
      await expect(deadline.giveUp()).resolves.toBeUndefined();
    } finally {
      deadline.dispose();
    }
  });

  it("armed late, past its give-up point, aborts at once but gives up only after the reactions of the current task", async () => {
    // handleSqsEvent arms after processBatch returned: a CPU-bound synchronous handler may
    // have used the time up while an async handler that had already settled waits for its
    // reaction. The give-up must not overtake it.
    const deadline = new Deadline(60_000, 3_000, { armed: false });
    const realNow = Date.now;
    const order: string[] = [];
    try {
      const settled = Promise.resolve();
      const result = new Promise<string>((resolve) => {
        void settled.then(() => resolve("handler"));
        deadline.whenGivingUp(() => resolve("gave-up"), settled);
      });
      const start = realNow();
      Date.now = () => start + 59_500; // the synchronous stretch: inside the margin / 3
      deadline.arm();
      order.push(deadline.aborted ? "aborted" : "running");
      void deadline.giveUp().then(() => order.push("given up"));
      order.push(await result);
      await deadline.giveUp();
      expect(order).toEqual(["aborted", "handler", "given up"]);
    } finally {
      Date.now = realNow;
      deadline.dispose();
    }
  });

  it("never fires without a deadline", async () => {
    const deadline = new Deadline(Number.POSITIVE_INFINITY, 3_000);
    const race = await Promise.race([deadline.giveUp().then(() => "gave up"), sleep(50)]);
    expect(race).toBeUndefined();
    expect(deadline.signal.aborted).toBe(false);
    expect(deadline.remainingMs()).toBe(Number.POSITIVE_INFINITY);
    deadline.dispose();
  });

  it("stops its timers on dispose", async () => {
    const deadline = new Deadline(30, 15);
    deadline.dispose();
    await sleep(60);
    expect(deadline.signal.aborted).toBe(false);
  });
});

describe("bootstrapWorker near the Lambda deadline", () => {
  // With the margin scaled to the time available (issue 12 item 1), only an invocation with no
  // time left at all is inside it from the start; 500 ms now runs short jobs.
  it("starts no record when the invocation has no time left, and releases them all at once", async () => {
    const runs: number[] = [];
    const job = defineJob<{ n: number }>({
      name: "count",
      handler: ({ n }) => {
        runs.push(n);
      },
    });
    const w = setupWorker({ jobs: [job], worker: { deadlineMarginMs: 3_000 } });
    for (const n of [1, 2, 3]) await w.jobs.enqueue(job, { n });

    const { received, response } = await w.invoke("default", lambdaContext({ remainingMs: 0 }));

    expect(runs).toEqual([]);
    expect(response).toEqual({
      batchItemFailures: received.map((m) => ({ itemIdentifier: m.messageId })),
    });
    expect(w.calls).toEqual([]);
    expect(w.driver.calls.changeVisibility).toBe(3);
    // Visibility 0: the next invocation gets them at once, not after the 30 s timeout.
    expect(await w.driver.stats("default")).toEqual({ visible: 3, inFlight: 0, delayed: 0 });
    expect(w.driver.deadLetters).toEqual([]);

    const next = await w.invoke();
    expect(next.failed).toEqual([]);
    expect(runs.sort()).toEqual([1, 2, 3]);
  });

  it("starts no record of a FIFO group with no time left and releases every one of them", async () => {
    const runs: string[] = [];
    const ship = defineJob<{ order: string; step: number }>({
      name: "ship",
      queue: "orders.fifo",
      group: (p) => p.order,
      handler: ({ order, step }) => {
        runs.push(`${order}${step}`);
      },
    });
    const w = setupWorker({ jobs: [ship], worker: { deadlineMarginMs: 3_000 } });
    for (const [order, step] of [
      ["A", 1],
      ["A", 2],
      ["B", 1],
    ] as const)
      await w.jobs.enqueue(ship, { order, step });

    const { received, failed } = await w.invoke("orders.fifo", lambdaContext({ remainingMs: 0 }));

    expect(runs).toEqual([]);
    expect(failed).toEqual(received.map((m) => m.messageId));
    expect(w.driver.calls.changeVisibility).toBe(3);
    expect(await w.driver.stats("orders.fifo")).toEqual({ visible: 3, inFlight: 0, delayed: 0 });
    const next = await w.invoke("orders.fifo");
    expect(next.failed).toEqual([]);
    expect(runs.filter((r) => r.startsWith("A"))).toEqual(["A1", "A2"]);
    expect(runs.filter((r) => r.startsWith("B"))).toEqual(["B1"]);
  });

  it("aborts ctx.signal at the margin and gives up on a handler that ignores it (retry)", async () => {
    const release = latch();
    const signals: { n: number; aborted: boolean; reason: unknown }[] = [];
    const job = defineJob<{ n: number; stubborn: boolean }>({
      name: "slow",
      retry: { maxAttempts: 5, backoff: { base: 10 } },
      handler: async ({ n, stubborn }, ctx: JobContext) => {
        if (stubborn) {
          await release.promise;
          return;
        }
        await new Promise((resolve) => ctx.signal.addEventListener("abort", resolve));
        signals.push({ n, aborted: ctx.signal.aborted, reason: ctx.signal.reason });
        throw ctx.signal.reason;
      },
    });
    const w = setupWorker({ jobs: [job], worker: { deadlineMarginMs: 300 } });
    await w.jobs.enqueue(job, { n: 1, stubborn: false });
    await w.jobs.enqueue(job, { n: 2, stubborn: true });

    try {
      const { received, response } = await w.invoke("default", lambdaContext({ remainingMs: 600 }));

      expect(response).toEqual({
        batchItemFailures: received.map((m) => ({ itemIdentifier: m.messageId })),
      });
      expect(signals).toEqual([
        {
          n: 1,
          aborted: true,
          reason: expect.objectContaining({
            name: "DeadlineError",
            message: "the invocation deadline is near",
          }),
        },
      ]);
      const failures = callsOf(w.calls, "onJobFailed").map((c) => c.args[2] as JobFailure);
      expect(failures).toHaveLength(2);
      expect(failures.map((f) => [f.willRetry, f.retryDelaySeconds])).toEqual([
        [true, 5],
        [true, 5],
      ]);
      const givenUp = must(failures.find((f) => f.error instanceof TransientJobError));
      expect((givenUp.error as Error).message).toBe(
        "the job was still running when the invocation ran out of time",
      );
      expect(callsOf(w.calls, "onJobComplete")).toEqual([]);
      // Both wait for their backoff, not the receive's 30 s visibility timeout.
      expect(await w.driver.stats("default")).toEqual({ visible: 0, inFlight: 2, delayed: 0 });
      w.clock.advance(5);
      expect(await w.driver.stats("default")).toEqual({ visible: 2, inFlight: 0, delayed: 0 });
    } finally {
      release.resolve();
    }
  });

  it("does not start the next record after giving up on a running one (concurrency 1)", async () => {
    const release = latch();
    const started: number[] = [];
    const job = defineJob<{ n: number }>({
      name: "slow",
      retry: { maxAttempts: 5, backoff: { base: 10 } },
      handler: async ({ n }) => {
        started.push(n);
        await release.promise;
      },
    });
    const w = setupWorker({ jobs: [job], worker: { deadlineMarginMs: 300, concurrency: 1 } });
    await w.jobs.enqueue(job, { n: 1 });
    await w.jobs.enqueue(job, { n: 2 });

    try {
      const { received, failed } = await w.invoke("default", lambdaContext({ remainingMs: 600 }));
      expect(started).toEqual([1]);
      expect(failed).toEqual(received.map((m) => m.messageId));
      expect(callsOf(w.calls, "onJobStart")).toHaveLength(1);
      // Record 1 waits for its backoff; record 2 never started and is visible at once.
      expect(await w.driver.stats("default")).toEqual({ visible: 1, inFlight: 1, delayed: 0 });
      const again = await w.driver.receive("default");
      expect(again.map((m) => m.messageId)).toEqual([must(received[1]).messageId]);
    } finally {
      release.resolve();
    }
  });
});
