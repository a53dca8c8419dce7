import {
  defineJob,
  isJobError,
  type JobDeadLetterContext,
  type JobOptions,
  JobService,
  PermanentJobError,
} from "@glasswork/core";
import { ManualClock, MockQueueDriver } from "@glasswork/driver-mock";
import * as v from "valibot";
import { afterEach, describe, expect, expectTypeOf, it, vi } from "vitest";
import { bootstrapWorker } from "./bootstrap-worker.js";
import { drainQueue } from "./drain-queue.js";
import { lambdaContext, rawEnvelope, recordingLogger, sqsEvent } from "./test-harness.js";

// Issue 16 item 3: a job's own onDeadLetter, run once when that job is dead-lettered, after the
// worker's onJobDeadLetter hooks, never changing the outcome.

interface Call {
  readonly payload: unknown;
  readonly reason: string;
  readonly payloadValid: boolean;
  readonly attempt: number;
  readonly error: unknown;
}

type Behaviour = "permanent" | "transient" | "ok";

function world(
  options: {
    onDeadLetter?: (
      payload: unknown,
      ctx: JobDeadLetterContext,
      error: unknown,
    ) => Promise<void> | void;
  } = {},
) {
  const calls: Call[] = [];
  const order: string[] = [];
  let behaviour: Behaviour = "permanent";
  const chargeCard = defineJob({
    name: "charge-card",
    // The output differs from the input, so the test sees which one onDeadLetter got.
    schema: v.object({ cents: v.pipe(v.string(), v.transform(Number)) }),
    retry: { maxAttempts: 2, backoff: { base: 60, jitter: "none" } },
    expiresAfter: "1h",
    handler: () => {
      if (behaviour === "permanent") throw new PermanentJobError("card declined");
      if (behaviour === "transient") throw new Error("gateway timeout");
    },
    onDeadLetter: (payload, ctx, error) => {
      order.push("job.onDeadLetter");
      expect(ctx.payload).toBe(payload);
      calls.push({
        payload,
        reason: ctx.reason,
        payloadValid: ctx.payloadValid,
        attempt: ctx.attempt,
        error,
      });
      return options.onDeadLetter?.(payload, ctx, error);
    },
  });
  const clock = new ManualClock();
  const driver = new MockQueueDriver({ clock });
  const log = recordingLogger();
  const handler = bootstrapWorker({
    jobs: [chargeCard],
    driver,
    logger: log.logger,
    now: () => clock.now(),
    hookTimeoutMs: 1_000,
    hooks: [
      {
        onJobDeadLetter: () => {
          order.push("worker.onJobDeadLetter");
        },
      },
    ],
  });
  const jobs = new JobService(driver);
  return {
    calls,
    order,
    chargeCard,
    clock,
    driver,
    log,
    jobs,
    handler,
    drain: () => drainQueue({ handler, driver }),
    set: (b: Behaviour) => {
      behaviour = b;
    },
  };
}

afterEach(() => {
  vi.useRealTimers();
});

describe("a job's onDeadLetter", () => {
  it("runs once for a PermanentJobError with the validated payload, after the worker's onJobDeadLetter", async () => {
    const w = world();
    await w.jobs.enqueue(w.chargeCard, { cents: "1250" });
    await w.drain();
    expect(w.driver.deadLetters.map((d) => d.reason)).toEqual(["permanent"]);
    expect(w.calls).toHaveLength(1);
    expect(w.calls[0]).toMatchObject({
      payload: { cents: 1250 },
      reason: "permanent",
      payloadValid: true,
      attempt: 1,
    });
    expect(isJobError(w.calls[0]?.error, "PERMANENT")).toBe(true);
    expect(w.order).toEqual(["worker.onJobDeadLetter", "job.onDeadLetter"]);
  });

  it("gets the raw, unvalidated payload with payloadValid false for an invalid payload", async () => {
    const w = world();
    // Sent around the producer's own validation, as a stale producer or a hand-written message would.
    await w.driver.send([
      {
        queue: "default",
        body: JSON.stringify({
          v: 1,
          id: "j-1",
          name: "charge-card",
          payload: { cents: 1250 },
          enqueuedAt: new Date(w.clock.now()).toISOString(),
        }),
        attributes: {},
      },
    ]);
    await w.drain();
    expect(w.driver.deadLetters.map((d) => d.reason)).toEqual(["invalid-payload"]);
    expect(w.calls).toMatchObject([
      { payload: { cents: 1250 }, reason: "invalid-payload", payloadValid: false },
    ]);
    expect(isJobError(w.calls[0]?.error, "INVALID_PAYLOAD")).toBe(true);
  });

  it("does not run on a retry, and runs once when the attempts are exhausted", async () => {
    const w = world();
    w.set("transient");
    await w.jobs.enqueue(w.chargeCard, { cents: "5" });
    await w.drain();
    expect(w.driver.deadLetters).toEqual([]);
    expect(w.calls).toEqual([]);
    w.clock.advance("1m");
    await w.drain();
    expect(w.driver.deadLetters.map((d) => d.reason)).toEqual(["retry-exhausted"]);
    expect(w.calls).toMatchObject([{ reason: "retry-exhausted", attempt: 2, payloadValid: true }]);
    expect(isJobError(w.calls[0]?.error, "RETRY_EXHAUSTED")).toBe(true);
    w.clock.advance("1h");
    await w.drain();
    expect(w.calls).toHaveLength(1);
  });

  it("gets the raw payload with payloadValid false when the schema itself kept throwing until the attempts ran out", async () => {
    const calls: { payload: unknown; reason: string; payloadValid: boolean }[] = [];
    const throwingSchema: NonNullable<JobOptions<{ n: number }, { n: number }>["schema"]> = {
      "~standard": {
        version: 1,
        vendor: "test",
        validate: () => {
          throw new Error("the schema's lookup service is down");
        },
      },
    };
    const lookup = defineJob({
      name: "lookup",
      schema: throwingSchema,
      retry: 1,
      handler: () => {},
      onDeadLetter: (payload, ctx) => {
        calls.push({ payload, reason: ctx.reason, payloadValid: ctx.payloadValid });
      },
    });
    const driver = new MockQueueDriver({ clock: new ManualClock() });
    await driver.send([
      {
        queue: "default",
        body: rawEnvelope({ id: "j-1", name: "lookup", payload: { n: 1 } }),
        attributes: {},
      },
    ]);
    const handler = bootstrapWorker({ jobs: [lookup], driver, logger: recordingLogger().logger });
    await drainQueue({ handler, driver });
    expect(driver.deadLetters.map((d) => d.reason)).toEqual(["retry-exhausted"]);
    expect(calls).toEqual([{ payload: { n: 1 }, reason: "retry-exhausted", payloadValid: false }]);
  });

  it("runs for an expired job with the validated payload", async () => {
    const w = world();
    w.set("ok");
    await w.jobs.enqueue(w.chargeCard, { cents: "7" });
    w.clock.advance("2h");
    await w.drain();
    expect(w.calls).toMatchObject([
      { reason: "expired", payload: { cents: 7 }, payloadValid: true },
    ]);
    expect(isJobError(w.calls[0]?.error, "JOB_EXPIRED")).toBe(true);
  });

  it("does not run for a job that completes", async () => {
    const w = world();
    w.set("ok");
    await w.jobs.enqueue(w.chargeCard, { cents: "7" });
    await w.drain();
    expect(w.calls).toEqual([]);
  });

  it("does not run when the move to the dead-letter queue failed, and runs once on the receive that moves it", async () => {
    const w = world();
    await w.jobs.enqueue(w.chargeCard, { cents: "9" });
    w.driver.failNext("moveToDeadLetter");
    expect(await w.drain()).toMatchObject({ failed: 1 });
    expect(w.calls).toEqual([]);
    expect(w.order).toEqual([]);
    w.clock.advance("1m");
    await w.drain();
    expect(w.driver.deadLetters.map((d) => d.reason)).toEqual(["permanent"]);
    expect(w.calls).toHaveLength(1);
  });

  it("logs a throwing onDeadLetter and keeps the outcome", async () => {
    const w = world({
      onDeadLetter: () => {
        throw new Error("audit store down");
      },
    });
    await w.jobs.enqueue(w.chargeCard, { cents: "3" });
    expect(await w.drain()).toEqual({ batches: 1, done: 1, failed: 0 });
    expect(w.driver.deadLetters.map((d) => d.reason)).toEqual(["permanent"]);
    const [line] = w.log.find("error", /hook onDeadLetter of job "charge-card" failed/);
    expect(line?.fields.err).toMatchObject({ message: "audit store down" });
  });

  it("gives a hanging onDeadLetter the hook budget, then goes on with the same outcome", async () => {
    vi.useFakeTimers({ toFake: ["setTimeout", "clearTimeout", "Date", "performance"] });
    const w = world({ onDeadLetter: () => new Promise(() => {}) });
    await w.jobs.enqueue(w.chargeCard, { cents: "3" });
    const [message] = await w.driver.receive("default");
    if (!message) throw new Error("expected a message");
    const pending = w.handler(sqsEvent([message]), lambdaContext());
    await vi.advanceTimersByTimeAsync(1_000);
    expect(await pending).toEqual({ batchItemFailures: [] });
    expect(w.driver.deadLetters.map((d) => d.reason)).toEqual(["permanent"]);
    expect(
      w.log.find("error", /hook onDeadLetter of job "charge-card" did not settle within 1000 ms/),
    ).toHaveLength(1);
  });

  it("types ctx.payload as the schema's output only when ctx.payloadValid is true", () => {
    defineJob({
      name: "typed",
      schema: v.object({ cents: v.pipe(v.string(), v.transform(Number)) }),
      handler: () => {},
      onDeadLetter: (payload, ctx) => {
        expectTypeOf(payload).toEqualTypeOf<unknown>();
        if (ctx.payloadValid) expectTypeOf(ctx.payload).toEqualTypeOf<{ cents: number }>();
        else expectTypeOf(ctx.payload).toEqualTypeOf<unknown>();
      },
    });
  });
});
