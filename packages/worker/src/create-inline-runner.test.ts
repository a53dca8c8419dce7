import { defineJob, PermanentJobError } from "@glasswork/core";
import { ManualClock, MockQueueDriver } from "@glasswork/driver-mock";
import { afterEach, describe, expect, it, vi } from "vitest";
import { createInlineRunner } from "./create-inline-runner.js";
import { type HookCall, hookNames, hookRecorder, latch, recordingLogger } from "./test-harness.js";

// Issue 16 item 5: jobs run through the real worker as they are enqueued, with no queue server.

afterEach(() => {
  vi.useRealTimers();
});

/** A job that fails its first `failures` runs, then records its payload. */
function flakyJob(failures: number) {
  const runs: number[] = [];
  let attempts = 0;
  const job = defineJob<{ n: number }>({
    name: "flaky",
    retry: { maxAttempts: 5, backoff: { base: 60, jitter: "none" } },
    handler: ({ n }) => {
      attempts++;
      if (attempts <= failures) throw new Error(`smtp down (${attempts})`);
      runs.push(n);
    },
  });
  return { job, runs, attempts: () => attempts };
}

/**
 * Fake timers, and a runner (`wait: "run"`, real-time driver) for a job that fails once: its
 * retry waits on a timer.
 */
function flakyOnFakeTimers() {
  vi.useFakeTimers({ toFake: ["setTimeout", "clearTimeout", "Date"] });
  const flaky = flakyJob(1);
  const runner = createInlineRunner({
    driver: new MockQueueDriver(),
    jobs: [flaky.job],
    logger: recordingLogger().logger,
    wait: "run",
  });
  return { flaky, runner };
}

describe("createInlineRunner", () => {
  it('with wait: "run", enqueue resolves after the job ran through the worker hooks', async () => {
    const ran: string[] = [];
    const calls: HookCall[] = [];
    const greet = defineJob<{ name: string }>({
      name: "greet",
      handler: ({ name }) => {
        ran.push(name);
      },
    });
    const runner = createInlineRunner({
      driver: new MockQueueDriver({ clock: new ManualClock() }),
      jobs: [greet],
      hooks: [hookRecorder("h", calls)],
      logger: recordingLogger().logger,
      wait: "run",
    });
    await runner.jobs.enqueue(greet, { name: "Ada" });
    expect(ran).toEqual(["Ada"]);
    expect(hookNames(calls)).toEqual([
      "h.aroundJob",
      "h.onJobStart",
      "h.onJobComplete",
      "h.aroundJob:done",
    ]);
    expect(runner.driver.messages("default")).toEqual([]);
  });

  it("by default, enqueue resolves while the job is still running, and idle() waits for it", async () => {
    const gate = latch();
    let done = false;
    const slow = defineJob<{ n: number }>({
      name: "slow",
      handler: async () => {
        await gate.promise;
        done = true;
      },
    });
    const runner = createInlineRunner({
      driver: new MockQueueDriver({ clock: new ManualClock() }),
      jobs: [slow],
      logger: recordingLogger().logger,
    });
    await runner.jobs.enqueue(slow, { n: 1 });
    expect(done).toBe(false);
    gate.resolve();
    await runner.idle();
    expect(done).toBe(true);
  });

  it("retries a failing job when the ManualClock reaches its backoff, without a drain call", async () => {
    const clock = new ManualClock();
    const flaky = flakyJob(2);
    const runner = createInlineRunner({
      driver: new MockQueueDriver({ clock }),
      jobs: [flaky.job],
      logger: recordingLogger().logger,
      wait: "run",
    });
    await runner.jobs.enqueue(flaky.job, { n: 7 });
    expect(flaky.attempts()).toBe(1);
    clock.advance(59);
    await runner.idle();
    expect(flaky.attempts()).toBe(1);
    clock.advance(1);
    await runner.idle();
    expect(flaky.attempts()).toBe(2);
    clock.advance("2m");
    await runner.idle();
    expect(flaky.runs).toEqual([7]);
  });

  it("retries on timers when the driver keeps real time (fake timers here)", async () => {
    const { flaky, runner } = flakyOnFakeTimers();
    await runner.jobs.enqueue(flaky.job, { n: 3 });
    expect(flaky.runs).toEqual([]);
    await vi.advanceTimersByTimeAsync(59_000);
    await runner.idle();
    expect(flaky.attempts()).toBe(1);
    await vi.advanceTimersByTimeAsync(1_001);
    await runner.idle();
    expect(flaky.runs).toEqual([3]);
    await runner.dispose();
  });

  it("moves a job that fails for good into the mock's dead-letter queue and logs it, enqueue having resolved", async () => {
    const log = recordingLogger();
    const charge = defineJob<{ cents: number }>({
      name: "charge",
      handler: () => {
        throw new PermanentJobError("card declined");
      },
    });
    const runner = createInlineRunner({
      driver: new MockQueueDriver({ clock: new ManualClock() }),
      jobs: [charge],
      logger: log.logger,
    });
    await runner.jobs.enqueue(charge, { cents: 5 });
    await runner.idle();
    expect(runner.driver.deadLetters.map((d) => [d.jobName, d.reason])).toEqual([
      ["charge", "permanent"],
    ]);
    expect(log.find("error", /failed for good/)).toHaveLength(1);
  });

  it("runs a delayed job when it is due, not before", async () => {
    const clock = new ManualClock();
    const ran: number[] = [];
    const remind = defineJob<{ n: number }>({
      name: "remind",
      handler: ({ n }) => {
        ran.push(n);
      },
    });
    const runner = createInlineRunner({
      driver: new MockQueueDriver({ clock }),
      jobs: [remind],
      logger: recordingLogger().logger,
      wait: "run",
    });
    await runner.jobs.enqueueIn(remind, { n: 1 }, "5m");
    expect(ran).toEqual([]);
    clock.advance("5m");
    await runner.idle();
    expect(ran).toEqual([1]);
  });

  it('lets a job enqueue another with wait: "run" without waiting on itself, and runs both before the outer enqueue resolves', async () => {
    const ran: string[] = [];
    const second = defineJob<{ n: number }>({
      name: "second",
      handler: () => {
        ran.push("second");
      },
    });
    const driver = new MockQueueDriver({ clock: new ManualClock() });
    const runner = createInlineRunner({
      driver,
      jobs: [
        second,
        defineJob<{ n: number }>({
          name: "first",
          handler: async () => {
            ran.push("first");
            await runner.jobs.enqueue(second, { n: 2 });
            ran.push("first enqueued");
          },
        }),
      ],
      logger: recordingLogger().logger,
      wait: "run",
    });
    const first = defineJob<{ n: number }>({ name: "first", handler: () => {} });
    await runner.jobs.enqueue(first, { n: 1 });
    expect(ran).toEqual(["first", "first enqueued", "second"]);
  });

  it("dispose() stops pending retry timers", async () => {
    const { flaky, runner } = flakyOnFakeTimers();
    await runner.jobs.enqueue(flaky.job, { n: 3 });
    await runner.dispose();
    await vi.advanceTimersByTimeAsync(120_000);
    expect(flaky.attempts()).toBe(1);
  });
});
