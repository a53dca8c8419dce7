import type { DeadLetterEvent, JobExecution, JobFailure, JobOutcome } from "@glasswork/core";
import {
  DEAD_LETTER_ATTRIBUTES,
  defineJob,
  definePeriodicJob,
  InvalidEnvelopeError,
  InvalidJobPayloadError,
  isJobError,
  type JobContext,
  PermanentJobError,
  RetryExhaustedError,
  TransientJobError,
  UnknownJobError,
} from "@glasswork/core";
import * as v from "valibot";
import { describe, expect, expectTypeOf, it, vi } from "vitest";
import { bootstrapWorker } from "./bootstrap-worker.js";
import {
  argOf,
  callsOf,
  hookNames,
  lambdaContext,
  must,
  rawEnvelope,
  setupWorker,
  sqsEvent,
  viaLambda,
} from "./test-harness.js";

// The app's services, typed once for every handler. This augmentation is seen only by this
// package's own typecheck (other packages compile the worker's sources, not its tests).
interface Mailer {
  readonly sent: string[];
  send(to: string): void;
}
interface TestServices {
  readonly mailer: Mailer;
  readonly region: string;
}
declare module "@glasswork/core" {
  interface Register {
    services: TestServices;
  }
}

const START = new Date("2026-01-01T00:00:00.000Z");

/** A job whose handler does what the test says, and records its runs. */
function flakyJob(
  name: string,
  options: Omit<Parameters<typeof defineJob<{ n: number }>>[0], "name" | "handler"> & {
    fail?: (attempt: number) => unknown;
  } = {},
) {
  const runs: { payload: { n: number }; ctx: JobContext }[] = [];
  const { fail, ...jobOptions } = options;
  const job = defineJob<{ n: number }>({
    ...jobOptions,
    name,
    handler: (payload, ctx) => {
      runs.push({ payload, ctx });
      const error = fail?.(ctx.attempt);
      if (error !== undefined) throw error;
    },
  });
  return { job, runs };
}

describe("bootstrapWorker: a job that succeeds", () => {
  it("gives the handler the schema's output and a complete context, and deletes the message", async () => {
    const seen: { payload: { invoiceId: string; dueAt: Date }; ctx: JobContext }[] = [];
    const sendInvoice = defineJob({
      name: "send-invoice",
      schema: v.object({
        invoiceId: v.string(),
        dueAt: v.pipe(
          v.string(),
          v.isoTimestamp(),
          v.transform((s) => new Date(s)),
        ),
      }),
      handler: (payload, ctx) => {
        seen.push({ payload, ctx });
        ctx.services.mailer.send(payload.invoiceId);
        ctx.logger.info({ step: "mailed" }, "invoice mailed");
      },
    });
    const mailer: Mailer = {
      sent: [],
      send(to) {
        this.sent.push(to);
      },
    };
    const services: TestServices = { mailer, region: "eu-west-1" };
    const w = setupWorker({ jobs: [sendInvoice], worker: { services } });
    const enqueued = await w.jobs.enqueue(
      sendInvoice,
      { invoiceId: "inv_1", dueAt: "2026-02-01T00:00:00.000Z" },
      { meta: { tenant: "acme" } },
    );

    const { received, response } = await w.invoke();

    expect(response).toEqual({ batchItemFailures: [] });
    expect(seen).toHaveLength(1);
    const { payload, ctx } = must(seen[0]);
    expect(payload).toEqual({ invoiceId: "inv_1", dueAt: new Date("2026-02-01T00:00:00.000Z") });
    expect(payload.dueAt).toBeInstanceOf(Date);
    expect(ctx).toMatchObject({
      jobId: enqueued.jobId,
      jobName: "send-invoice",
      queue: "default",
      attempt: 1,
      enqueuedAt: START,
      meta: { tenant: "acme" },
    });
    expect(ctx.services).toBe(services);
    expectTypeOf(ctx.services).toEqualTypeOf<TestServices>();
    expect(mailer.sent).toEqual(["inv_1"]);
    expect(ctx.signal).toBeInstanceOf(AbortSignal);
    expect(ctx.signal.aborted).toBe(false);
    expect(w.log.find("info", /^invoice mailed$/)).toEqual([
      {
        level: "info",
        msg: "invoice mailed",
        fields: { step: "mailed" },
        bindings: {
          jobId: enqueued.jobId,
          jobName: "send-invoice",
          attempt: 1,
          messageId: must(received[0]).messageId,
        },
      },
    ]);
    expect(hookNames(w.calls)).toEqual([
      "hooks.aroundJob",
      "hooks.onJobStart",
      "hooks.onJobComplete",
      "hooks.aroundJob:done",
    ]);
    expect(callsOf(w.calls, "onJobComplete")[0]?.args[2]).toEqual({
      durationMs: expect.any(Number),
    });
    expect(callsOf(w.calls, "aroundJob:done")[0]?.args[0]).toEqual({
      status: "completed",
      durationMs: expect.any(Number),
    });
    expect(w.driver.messages("default")).toEqual([]);
    expect(w.driver.deadLetters).toEqual([]);
    expect(w.driver.calls.changeVisibility).toBe(0);
    expect(w.driver.calls.moveToDeadLetter).toBe(0);
  });

  it("gives the hooks the execution as received", async () => {
    const { job } = flakyJob("count");
    const w = setupWorker({ jobs: [job] });
    const enqueued = await w.jobs.enqueue(
      job,
      { n: 7 },
      { meta: { traceparent: "00-abc-def-01" } },
    );
    const { received } = await w.invoke();
    const execution: JobExecution = {
      jobId: enqueued.jobId,
      jobName: "count",
      queue: "default",
      messageId: must(received[0]).messageId,
      attempt: 1,
      enqueuedAt: START,
      payload: { n: 7 },
      meta: { traceparent: "00-abc-def-01" },
      kind: "job",
    };
    expect(callsOf(w.calls, "aroundJob")[0]?.args).toEqual([execution]);
    expect(callsOf(w.calls, "onJobStart")[0]?.args[0]).toEqual(execution);
  });

  it("answers an empty batch with no failures", async () => {
    const w = setupWorker({ jobs: [flakyJob("count").job] });
    await expect(w.handler({ Records: [] }, lambdaContext())).resolves.toEqual({
      batchItemFailures: [],
    });
  });
});

describe("bootstrapWorker: bodies that can never run", () => {
  it('dead-letters a body that is not JSON as "malformed", firing only onJobDeadLetter', async () => {
    const { job, runs } = flakyJob("count");
    const w = setupWorker({ jobs: [job] });
    await w.driver.send([{ queue: "default", body: "{not json", attributes: {} }]);

    const { received, response } = await w.invoke();

    expect(response).toEqual({ batchItemFailures: [] });
    expect(runs).toEqual([]);
    expect(w.driver.deadLetters).toEqual([
      {
        queue: "default",
        deadLetterQueue: "default-dlq",
        reason: "malformed",
        error: expect.stringMatching(
          /^InvalidEnvelopeError: Invalid message envelope \(not-json\): the body is not valid JSON/,
        ),
        attempt: 1,
        body: "{not json",
        jobName: undefined,
        payload: undefined,
      },
    ]);
    expect(w.driver.messages("default")).toEqual([]);
    const [dead] = w.driver.messages("default-dlq");
    expect(dead?.body).toBe("{not json");
    expect(dead?.attributes).toMatchObject({
      [DEAD_LETTER_ATTRIBUTES.reason]: "malformed",
      [DEAD_LETTER_ATTRIBUTES.attempt]: "1",
      [DEAD_LETTER_ATTRIBUTES.sourceQueue]: "default",
    });
    expect(hookNames(w.calls)).toEqual(["hooks.onJobDeadLetter"]);
    const event = argOf<DeadLetterEvent>(w.calls, "onJobDeadLetter", 0);
    expect(event.execution).toBeUndefined();
    expect(event.message).toEqual(viaLambda(received[0]));
    expect(event.reason).toBe("malformed");
    expect(event.error).toBeInstanceOf(InvalidEnvelopeError);
    expect((event.error as InvalidEnvelopeError).reason).toBe("not-json");
    expect(w.log.find("warn", /^unreadable message$/)).toHaveLength(1);
  });

  it.each([
    ["a wrong version", rawEnvelope({ v: 2 }), "unsupported-version"],
    ["no job name", rawEnvelope({ name: undefined }), "missing-name"],
    ["an empty job name", rawEnvelope({ name: "" }), "missing-name"],
    ["no job id", rawEnvelope({ id: undefined }), "missing-id"],
    [
      "a __proto__ key in the payload",
      rawEnvelope({ payload: JSON.parse('{"__proto__":{"admin":true}}') }),
      "forbidden-key",
    ],
    [
      "a top-level __proto__ key",
      '{"v":1,"id":"j","name":"count","payload":{},"enqueuedAt":"2026-01-01T00:00:00.000Z","__proto__":{"x":1}}',
      "forbidden-key",
    ],
    [
      "a constructor key",
      rawEnvelope({ name: "count", payload: { constructor: { prototype: 1 } } }),
      "forbidden-key",
    ],
    ["an array", "[1,2,3]", "not-object"],
    ["null", "null", "not-object"],
    ["a bad enqueuedAt", rawEnvelope({ enqueuedAt: "yesterday" }), "invalid-field"],
    ["meta with a number", rawEnvelope({ meta: { n: 1 } }), "invalid-field"],
  ])('dead-letters an envelope with %s as "invalid-envelope"', async (_, body, detail) => {
    const { job, runs } = flakyJob("count");
    const w = setupWorker({ jobs: [job] });
    await w.driver.send([{ queue: "default", body, attributes: { "glasswork.job": "count" } }]);

    const { response } = await w.invoke();

    expect(response).toEqual({ batchItemFailures: [] });
    expect(runs).toEqual([]);
    expect(w.driver.deadLetters).toHaveLength(1);
    const [dead] = w.driver.deadLetters;
    expect(dead?.reason).toBe("invalid-envelope");
    expect(dead?.error).toMatch(/^InvalidEnvelopeError: Invalid message envelope/);
    expect(dead?.body).toBe(body);
    expect(w.driver.messages("default")).toEqual([]);
    expect(hookNames(w.calls)).toEqual(["hooks.onJobDeadLetter"]);
    const event = argOf<DeadLetterEvent>(w.calls, "onJobDeadLetter", 0);
    expect(event.reason).toBe("invalid-envelope");
    expect((event.error as InvalidEnvelopeError).reason).toBe(detail);
  });

  it("keeps the payload's own __proto__ key out of the worker (no prototype pollution)", async () => {
    const { job, runs } = flakyJob("count");
    const w = setupWorker({ jobs: [job] });
    const body =
      '{"v":1,"id":"j","name":"count","payload":{"n":1,"__proto__":{"polluted":true}},"enqueuedAt":"2026-01-01T00:00:00.000Z"}';
    await w.driver.send([{ queue: "default", body, attributes: {} }]);
    await w.invoke();
    expect(runs).toEqual([]);
    expect(w.driver.deadLetters.map((d) => d.reason)).toEqual(["invalid-envelope"]);
    expect(({} as Record<string, unknown>).polluted).toBeUndefined();
  });

  it('dead-letters a payload that fails the schema as "invalid-payload" at once, never calling the handler', async () => {
    const handler = vi.fn();
    const sendInvoice = defineJob({
      name: "send-invoice",
      schema: v.object({ invoiceId: v.string() }),
      handler,
    });
    const w = setupWorker({ jobs: [sendInvoice] });
    const body = rawEnvelope({ payload: { invoiceId: 42 } });
    await w.driver.send([
      { queue: "default", body, attributes: { "glasswork.job": "send-invoice" } },
    ]);

    const { received, response } = await w.invoke();

    expect(response).toEqual({ batchItemFailures: [] });
    expect(handler).not.toHaveBeenCalled();
    expect(w.driver.deadLetters).toEqual([
      {
        queue: "default",
        deadLetterQueue: "default-dlq",
        reason: "invalid-payload",
        error: expect.stringMatching(
          /^InvalidJobPayloadError: Invalid payload for job "send-invoice": invoiceId: /,
        ),
        attempt: 1,
        body,
        jobName: "send-invoice",
        payload: { invoiceId: 42 },
      },
    ]);
    expect(w.driver.calls.changeVisibility).toBe(0);
    expect(hookNames(w.calls)).toEqual([
      "hooks.aroundJob",
      "hooks.onJobFailed",
      "hooks.onJobDeadLetter",
      "hooks.aroundJob:done",
    ]);
    const failure = argOf<JobFailure>(w.calls, "onJobFailed", 2);
    expect(failure).toEqual({
      error: expect.any(InvalidJobPayloadError),
      willRetry: false,
      retryDelaySeconds: undefined,
      durationMs: undefined,
    });
    const event = argOf<DeadLetterEvent>(w.calls, "onJobDeadLetter", 0);
    expect(event).toMatchObject({
      reason: "invalid-payload",
      message: viaLambda(received[0]),
      execution: { jobId: "job-raw-1", jobName: "send-invoice", attempt: 1 },
    });
    expect(callsOf(w.calls, "aroundJob:done")[0]?.args[0]).toMatchObject({
      status: "dead_letter",
      deadLetterReason: "invalid-payload",
    });
  });
});

describe("bootstrapWorker: unknown job names (deploy skew)", () => {
  it('retries with backoff through visibility, then dead-letters as "unknown-job" when unknownJobRetry runs out', async () => {
    const ghost = defineJob<{ n: number }>({ name: "ghost", handler: () => {} });
    const { job } = flakyJob("count");
    const w = setupWorker({
      jobs: [job],
      worker: { unknownJobRetry: { maxAttempts: 3, backoff: { base: 10 } } },
    });
    await w.jobs.enqueue(ghost, { n: 1 });

    // Attempt 1: backoff 10 s × 2^0 × jitter 0.5 = 5 s.
    const first = await w.invoke();
    expect(first.failed).toEqual([must(first.received[0]).messageId]);
    expect(await w.driver.stats("default")).toEqual({ visible: 0, inFlight: 1, delayed: 0 });
    w.clock.advance(4);
    expect(await w.driver.stats("default")).toEqual({ visible: 0, inFlight: 1, delayed: 0 });
    w.clock.advance(1);
    expect(await w.driver.stats("default")).toEqual({ visible: 1, inFlight: 0, delayed: 0 });

    // Attempt 2: 10 s × 2^1 × 0.5 = 10 s.
    const second = await w.invoke();
    expect(second.failed).toHaveLength(1);
    expect(must(second.received[0]).receiveCount).toBe(2);
    w.clock.advance(9);
    expect(await w.driver.receive("default")).toEqual([]);
    w.clock.advance(1);

    // Attempt 3 is the last: dead-lettered.
    const third = await w.invoke();
    expect(third.failed).toEqual([]);
    expect(w.driver.deadLetters).toEqual([
      expect.objectContaining({
        reason: "unknown-job",
        attempt: 3,
        jobName: "ghost",
        error: expect.stringMatching(
          /^RetryExhaustedError: Job "ghost" failed 3 times and has no attempts left.*UnknownJobError: No job named "ghost"/,
        ),
      }),
    ]);
    expect(w.driver.messages("default")).toEqual([]);
    expect(w.driver.calls.changeVisibility).toBe(2);

    const failures = callsOf(w.calls, "onJobFailed").map((c) => c.args[2] as JobFailure);
    expect(failures.map((f) => [f.willRetry, f.retryDelaySeconds])).toEqual([
      [true, 5],
      [true, 10],
      [false, undefined],
    ]);
    expect(failures.every((f) => f.error instanceof UnknownJobError)).toBe(true);
    expect(callsOf(w.calls, "onJobStart")).toEqual([]);
    expect(callsOf(w.calls, "onJobDeadLetter")).toHaveLength(1);
    expect(argOf<DeadLetterEvent>(w.calls, "onJobDeadLetter", 0).error).toBeInstanceOf(
      RetryExhaustedError,
    );
    expect(w.log.find("warn", /unknown job/)).toHaveLength(3);
  });

  it("uses 25 attempts with the default backoff when unknownJobRetry is not set", async () => {
    const ghost = defineJob<{ n: number }>({ name: "ghost", handler: () => {} });
    const w = setupWorker({ jobs: [flakyJob("count").job] });
    await w.jobs.enqueue(ghost, { n: 1 });
    for (let attempt = 1; attempt <= 24; attempt++) {
      const { failed } = await w.invoke();
      expect(failed).toHaveLength(1);
      w.clock.advance(900);
    }
    const last = await w.invoke();
    expect(last.failed).toEqual([]);
    expect(w.driver.deadLetters.map((d) => [d.reason, d.attempt])).toEqual([["unknown-job", 25]]);
  });
});

describe("bootstrapWorker: delayed jobs (runAt beyond the transport's 900 s)", () => {
  it("relays a job due in 1 h through 900 s hops without running it or counting attempts, then runs it once", async () => {
    const { job, runs } = flakyJob("remind");
    const w = setupWorker({ jobs: [job] });
    const enqueued = await w.jobs.enqueueIn(job, { n: 1 }, "1h");
    expect(enqueued.runAt).toEqual(new Date("2026-01-01T01:00:00.000Z"));
    expect(await w.driver.stats("default")).toEqual({ visible: 0, inFlight: 0, delayed: 1 });

    for (const remaining of [2700, 1800, 900]) {
      w.clock.advance(899);
      expect(await w.driver.receive("default")).toEqual([]);
      w.clock.advance(1);
      const sends = w.driver.calls.send;
      const { received, response } = await w.invoke();
      expect(received).toHaveLength(1);
      expect(must(received[0]).receiveCount).toBe(1);
      // The original is not reported failed: Lambda deletes it.
      expect(response).toEqual({ batchItemFailures: [] });
      expect(w.driver.calls.send).toBe(sends + 1);
      const relayed = must(w.driver.enqueued.at(-1));
      expect(relayed).toMatchObject({
        jobId: enqueued.jobId,
        delaySeconds: Math.min(900, remaining),
        runAt: new Date("2026-01-01T01:00:00.000Z"),
        body: must(received[0]).body,
      });
      expect(w.driver.messages("default")).toHaveLength(1);
      expect(await w.driver.stats("default")).toEqual({ visible: 0, inFlight: 0, delayed: 1 });
    }
    expect(runs).toEqual([]);
    expect(w.calls).toEqual([]);

    w.clock.advance(900);
    const due = await w.invoke();
    expect(due.response).toEqual({ batchItemFailures: [] });
    expect(runs).toHaveLength(1);
    expect(must(runs[0]).ctx.attempt).toBe(1);
    expect(must(runs[0]).ctx.jobId).toBe(enqueued.jobId);
    expect(hookNames(w.calls)).toEqual([
      "hooks.aroundJob",
      "hooks.onJobStart",
      "hooks.onJobComplete",
      "hooks.aroundJob:done",
    ]);
    expect(w.driver.messages("default")).toEqual([]);
    expect(w.driver.enqueued).toHaveLength(4);
  });

  it("relays with the remaining delay when less than 900 s is left", async () => {
    const { job, runs } = flakyJob("remind");
    const w = setupWorker({ jobs: [job] });
    await w.jobs.enqueueIn(job, { n: 1 }, "20m");
    w.clock.advance(900);
    await w.invoke();
    expect(must(w.driver.enqueued.at(-1)).delaySeconds).toBe(300);
    w.clock.advance(299);
    expect(await w.driver.receive("default")).toEqual([]);
    w.clock.advance(1);
    await w.invoke();
    expect(runs).toHaveLength(1);
  });

  it("reports the original failed (it comes back) when the relay cannot be sent", async () => {
    const { job, runs } = flakyJob("remind");
    const w = setupWorker({ jobs: [job] });
    await w.jobs.enqueueIn(job, { n: 1 }, "1h");
    w.clock.advance(900);
    w.driver.failNext("send");
    const { received, failed } = await w.invoke();
    expect(failed).toEqual([must(received[0]).messageId]);
    expect(runs).toEqual([]);
    expect(w.driver.messages("default")).toHaveLength(1);
    expect(w.log.find("error", /could not relay/)).toHaveLength(1);
  });
});

describe("bootstrapWorker: failures", () => {
  it('dead-letters a PermanentJobError at once as "permanent"', async () => {
    const { job, runs } = flakyJob("charge", {
      retry: 5,
      fail: () => new PermanentJobError("card was declined"),
    });
    const w = setupWorker({ jobs: [job] });
    await w.jobs.enqueue(job, { n: 1 });

    const { received, response } = await w.invoke();

    expect(response).toEqual({ batchItemFailures: [] });
    expect(runs).toHaveLength(1);
    expect(w.driver.deadLetters).toEqual([
      expect.objectContaining({
        queue: "default",
        deadLetterQueue: "default-dlq",
        reason: "permanent",
        error: "PermanentJobError: card was declined",
        attempt: 1,
        jobName: "charge",
        payload: { n: 1 },
      }),
    ]);
    expect(w.driver.messages("default")).toEqual([]);
    expect(w.driver.calls.changeVisibility).toBe(0);
    expect(hookNames(w.calls)).toEqual([
      "hooks.aroundJob",
      "hooks.onJobStart",
      "hooks.onJobFailed",
      "hooks.onJobDeadLetter",
      "hooks.aroundJob:done",
    ]);
    expect(callsOf(w.calls, "onJobFailed")[0]?.args[2]).toEqual({
      error: expect.any(PermanentJobError),
      willRetry: false,
      retryDelaySeconds: undefined,
      durationMs: expect.any(Number),
    });
    expect(callsOf(w.calls, "onJobDeadLetter")[0]?.args[0]).toMatchObject({
      reason: "permanent",
      message: viaLambda(received[0]),
      error: expect.any(PermanentJobError),
    });
    expect(w.log.find("error", /moving it to the dead-letter queue/)).toHaveLength(1);
  });

  it.each([
    ["a plain Error", () => new Error("smtp timeout")],
    ["a TransientJobError", () => new TransientJobError("smtp timeout")],
    ["a thrown string", () => "smtp timeout"],
  ])("retries %s after the backoff, set through the message's visibility", async (_, error) => {
    const { job, runs } = flakyJob("mail", {
      retry: { maxAttempts: 5, backoff: { base: 10 } },
      fail: () => error(),
    });
    const w = setupWorker({ jobs: [job] });
    await w.jobs.enqueue(job, { n: 1 });

    const first = await w.invoke();
    const id = must(first.received[0]).messageId;
    expect(first.response).toEqual({ batchItemFailures: [{ itemIdentifier: id }] });
    expect(w.driver.calls.changeVisibility).toBe(1);
    // 10 s × 2^0 × 0.5 = 5 s instead of the 30 s visibility timeout of the receive.
    w.clock.advance(4);
    expect(await w.driver.stats("default")).toEqual({ visible: 0, inFlight: 1, delayed: 0 });
    w.clock.advance(1);
    expect(await w.driver.stats("default")).toEqual({ visible: 1, inFlight: 0, delayed: 0 });

    const second = await w.invoke();
    expect(second.failed).toEqual([id]);
    expect(must(runs[1]).ctx.attempt).toBe(2);
    // 10 s × 2^1 × 0.5 = 10 s.
    w.clock.advance(9);
    expect(await w.driver.stats("default")).toEqual({ visible: 0, inFlight: 1, delayed: 0 });
    w.clock.advance(1);
    expect(await w.driver.stats("default")).toEqual({ visible: 1, inFlight: 0, delayed: 0 });

    const failures = callsOf(w.calls, "onJobFailed").map((c) => c.args[2] as JobFailure);
    expect(failures).toEqual([
      { error: error(), willRetry: true, retryDelaySeconds: 5, durationMs: expect.any(Number) },
      { error: error(), willRetry: true, retryDelaySeconds: 10, durationMs: expect.any(Number) },
    ]);
    expect(callsOf(w.calls, "onJobDeadLetter")).toEqual([]);
    expect(callsOf(w.calls, "onJobComplete")).toEqual([]);
    expect(callsOf(w.calls, "aroundJob:done")[0]?.args[0]).toEqual({
      status: "retry",
      error: error(),
      retryDelaySeconds: 5,
      durationMs: expect.any(Number),
    });
    expect(w.driver.deadLetters).toEqual([]);
    expect(w.log.find("warn", /will retry/)[0]?.fields).toMatchObject({ retryDelaySeconds: 5 });
  });

  it("still reports a retry when its delay cannot be set; it comes back after the visibility timeout", async () => {
    const { job } = flakyJob("mail", { fail: () => new Error("down") });
    const w = setupWorker({ jobs: [job] });
    await w.jobs.enqueue(job, { n: 1 });
    w.driver.failNext("changeVisibility");
    const { received, failed } = await w.invoke();
    expect(failed).toEqual([must(received[0]).messageId]);
    expect(w.log.find("warn", /^could not set the retry delay$/)).toHaveLength(1);
    w.clock.advance(29);
    expect(await w.driver.stats("default")).toEqual({ visible: 0, inFlight: 1, delayed: 0 });
    w.clock.advance(1);
    expect(await w.driver.stats("default")).toEqual({ visible: 1, inFlight: 0, delayed: 0 });
  });

  it("uses the default policy's backoff: 1 s after the first attempt with jitter 0.5", async () => {
    const { job } = flakyJob("mail", { fail: () => new Error("down") });
    const w = setupWorker({ jobs: [job] });
    await w.jobs.enqueue(job, { n: 1 });
    await w.invoke();
    expect(await w.driver.stats("default")).toEqual({ visible: 0, inFlight: 1, delayed: 0 });
    w.clock.advance(1);
    expect(await w.driver.stats("default")).toEqual({ visible: 1, inFlight: 0, delayed: 0 });
  });

  it("lets a TransientJobError's retryAfter override the backoff", async () => {
    const { job } = flakyJob("webhook", {
      retry: { maxAttempts: 5, backoff: { base: 10 } },
      fail: () => new TransientJobError("429 Too Many Requests", { retryAfter: 120 }),
    });
    const w = setupWorker({ jobs: [job] });
    await w.jobs.enqueue(job, { n: 1 });
    const { failed } = await w.invoke();
    expect(failed).toHaveLength(1);
    w.clock.advance(119);
    expect(await w.driver.stats("default")).toEqual({ visible: 0, inFlight: 1, delayed: 0 });
    w.clock.advance(1);
    expect(await w.driver.stats("default")).toEqual({ visible: 1, inFlight: 0, delayed: 0 });
    expect(callsOf(w.calls, "onJobFailed")[0]?.args[2]).toMatchObject({
      willRetry: true,
      retryDelaySeconds: 120,
    });
  });

  it('dead-letters as "retry-exhausted" when the last attempt fails (dead: true)', async () => {
    const { job, runs } = flakyJob("flaky", {
      retry: { maxAttempts: 2, backoff: { base: 10 } },
      fail: (attempt) => new Error(`boom ${attempt}`),
    });
    const w = setupWorker({ jobs: [job] });
    await w.jobs.enqueue(job, { n: 1 });

    expect((await w.invoke()).failed).toHaveLength(1);
    w.clock.advance(5);
    const last = await w.invoke();

    expect(last.response).toEqual({ batchItemFailures: [] });
    expect(runs).toHaveLength(2);
    expect(w.driver.deadLetters).toEqual([
      expect.objectContaining({
        reason: "retry-exhausted",
        attempt: 2,
        jobName: "flaky",
        error: expect.stringMatching(
          /^RetryExhaustedError: Job "flaky" failed 2 times and has no attempts left.*Error: boom 2/,
        ),
      }),
    ]);
    expect(w.driver.messages("default")).toEqual([]);
    const failures = callsOf(w.calls, "onJobFailed").map((c) => c.args[2] as JobFailure);
    expect(failures.map((f) => f.willRetry)).toEqual([true, false]);
    expect(failures[1]?.error).toEqual(new Error("boom 2"));
    const dead = callsOf(w.calls, "onJobDeadLetter");
    expect(dead).toHaveLength(1);
    const deadError = argOf<DeadLetterEvent>(w.calls, "onJobDeadLetter", 0).error;
    expect(isJobError(deadError, "RETRY_EXHAUSTED")).toBe(true);
    expect((deadError as RetryExhaustedError).cause).toEqual(new Error("boom 2"));
  });

  it("deletes the job when the last attempt fails with dead: false", async () => {
    const { job, runs } = flakyJob("flaky", {
      retry: { maxAttempts: 2, dead: false, backoff: { base: 10 } },
      fail: () => new Error("boom"),
    });
    const w = setupWorker({ jobs: [job] });
    await w.jobs.enqueue(job, { n: 1 });
    await w.invoke();
    w.clock.advance(5);
    const last = await w.invoke();

    expect(last.response).toEqual({ batchItemFailures: [] });
    expect(runs).toHaveLength(2);
    expect(w.driver.messages("default")).toEqual([]);
    expect(w.driver.deadLetters).toEqual([]);
    expect(w.driver.calls.moveToDeadLetter).toBe(0);
    expect(callsOf(w.calls, "onJobFailed").map((c) => (c.args[2] as JobFailure).willRetry)).toEqual(
      [true, false],
    );
    expect(callsOf(w.calls, "onJobDeadLetter")).toEqual([]);
    expect(callsOf(w.calls, "aroundJob:done")[1]?.args[0]).toMatchObject({ status: "discarded" });
    expect(w.log.find("warn", /discarded/)).toHaveLength(1);
  });

  it("deletes a failed job with retry: false, firing onJobFailed once", async () => {
    const { job, runs } = flakyJob("fire-and-forget", {
      retry: false,
      fail: () => new Error("nope"),
    });
    const w = setupWorker({ jobs: [job] });
    await w.jobs.enqueue(job, { n: 1 });

    const { response } = await w.invoke();

    expect(response).toEqual({ batchItemFailures: [] });
    expect(runs).toHaveLength(1);
    expect(w.driver.messages("default")).toEqual([]);
    expect(w.driver.deadLetters).toEqual([]);
    expect(w.driver.calls.changeVisibility).toBe(0);
    expect(hookNames(w.calls)).toEqual([
      "hooks.aroundJob",
      "hooks.onJobStart",
      "hooks.onJobFailed",
      "hooks.aroundJob:done",
    ]);
    expect(callsOf(w.calls, "onJobFailed")[0]?.args[2]).toEqual({
      error: new Error("nope"),
      willRetry: false,
      retryDelaySeconds: undefined,
      durationMs: expect.any(Number),
    });
  });

  it("reports exactly the records to retry in a mixed batch", async () => {
    const outcomes: Record<number, unknown> = {
      2: new Error("transient"),
      3: new PermanentJobError("permanent"),
      5: new TransientJobError("later", { retryAfter: 60 }),
    };
    const { job } = flakyJob("mixed", { retry: 3 });
    const failing = defineJob<{ n: number }>({
      name: "mixed-2",
      retry: 3,
      handler: ({ n }) => {
        if (outcomes[n]) throw outcomes[n];
      },
    });
    const w = setupWorker({ jobs: [job, failing] });
    await w.jobs.enqueue(job, { n: 1 });
    await w.jobs.enqueue(failing, { n: 2 });
    await w.jobs.enqueue(failing, { n: 3 });
    await w.driver.send([{ queue: "default", body: "garbage", attributes: {} }]);
    await w.jobs.enqueue(failing, { n: 5 });

    const { received, response } = await w.invoke();

    expect(received).toHaveLength(5);
    expect(response).toEqual({
      batchItemFailures: [
        { itemIdentifier: must(received[1]).messageId },
        { itemIdentifier: must(received[4]).messageId },
      ],
    });
    expect(w.driver.deadLetters.map((d) => d.reason).sort()).toEqual(["malformed", "permanent"]);
    expect(w.driver.messages("default").map((m) => m.messageId)).toEqual([
      must(received[1]).messageId,
      must(received[4]).messageId,
    ]);
  });
});

describe("bootstrapWorker: a queue without a dead-letter queue", () => {
  it("reports the record failed, logs loudly, and loses nothing", async () => {
    const { job } = flakyJob("charge", { fail: () => new PermanentJobError("declined") });
    const w = setupWorker({ jobs: [job], driver: { deadLetterQueues: { default: null } } });
    await w.jobs.enqueue(job, { n: 1 });

    const { received, response } = await w.invoke();
    const id = must(received[0]).messageId;

    expect(response).toEqual({ batchItemFailures: [{ itemIdentifier: id }] });
    expect(w.driver.deadLetters).toEqual([]);
    expect(w.driver.messages("default").map((m) => m.messageId)).toEqual([id]);
    const [line] = w.log.find("error", /COULD NOT DEAD-LETTER/);
    expect(line?.fields).toMatchObject({
      reason: "permanent",
      cause: "PermanentJobError: declined",
      err: expect.objectContaining({ name: "NoDeadLetterQueueError" }),
    });
    expect(line?.bindings).toMatchObject({ jobName: "charge", messageId: id });
    expect(callsOf(w.calls, "onJobDeadLetter")).toEqual([]);
    expect(callsOf(w.calls, "aroundJob:done")[0]?.args[0]).toMatchObject({
      status: "deferred",
      deadLetterReason: "permanent",
    });
    // It comes back after the receive's visibility timeout.
    w.clock.advance(30);
    expect(await w.driver.stats("default")).toEqual({ visible: 1, inFlight: 0, delayed: 0 });
  });

  it("keeps an unreadable body too", async () => {
    const w = setupWorker({
      jobs: [flakyJob("count").job],
      driver: { deadLetterQueues: { default: null } },
    });
    await w.driver.send([{ queue: "default", body: "nope", attributes: {} }]);
    const { received, failed } = await w.invoke();
    expect(failed).toEqual([must(received[0]).messageId]);
    expect(w.driver.messages("default")).toHaveLength(1);
    const [line] = w.log.find("error", /COULD NOT DEAD-LETTER/);
    expect(line?.bindings).toEqual({ messageId: must(received[0]).messageId, queue: "default" });
    expect(w.calls).toEqual([]);
  });
});

describe("bootstrapWorker: services", () => {
  const services = (region: string): TestServices => ({
    mailer: { sent: [], send: () => {} },
    region,
  });

  it("creates services once with a factory, across invocations", async () => {
    const regions: string[] = [];
    const { job } = flakyJob("count");
    const periodic = definePeriodicJob({
      name: "tick",
      handler: (ctx) => {
        regions.push(ctx.services.region);
      },
    });
    const factory = vi.fn(async () => services("eu-west-1"));
    const w = setupWorker({ jobs: [job, periodic], worker: { services: factory } });
    for (let n = 0; n < 3; n++) {
      await w.jobs.enqueue(job, { n });
      await w.invoke();
    }
    await w.handler({ jobName: "tick" }, lambdaContext());
    expect(factory).toHaveBeenCalledTimes(1);
    expect(regions).toEqual(["eu-west-1"]);
  });

  it("accepts a plain services object", async () => {
    const seen: unknown[] = [];
    const job = defineJob<{ n: number }>({
      name: "count",
      handler: (_, ctx) => {
        seen.push(ctx.services);
      },
    });
    const given = services("us-east-1");
    const w = setupWorker({ jobs: [job], worker: { services: given } });
    await w.jobs.enqueue(job, { n: 1 });
    await w.invoke();
    expect(seen).toEqual([given]);
    expect(seen[0]).toBe(given);
  });

  it("rejects the invocation when the factory fails, and tries again on the next one", async () => {
    const { job, runs } = flakyJob("count");
    const factory = vi
      .fn<() => Promise<TestServices>>()
      .mockRejectedValueOnce(new Error("database is down"))
      .mockResolvedValue(services("eu-west-1"));
    const w = setupWorker({ jobs: [job], worker: { services: factory } });
    await w.jobs.enqueue(job, { n: 1 });

    await expect(w.invoke()).rejects.toThrow("database is down");
    expect(runs).toEqual([]);
    expect(w.calls).toEqual([]);
    // Nothing was deleted: the batch comes back after the visibility timeout.
    expect(await w.driver.stats("default")).toEqual({ visible: 0, inFlight: 1, delayed: 0 });

    w.clock.advance(30);
    const { response } = await w.invoke();
    expect(response).toEqual({ batchItemFailures: [] });
    expect(factory).toHaveBeenCalledTimes(2);
    expect(runs).toHaveLength(1);
    expect(must(runs[0]).ctx.services.region).toBe("eu-west-1");
    expect(must(runs[0]).ctx.attempt).toBe(2);
  });

  it("rejects the invocation when the factory throws synchronously, and tries again", async () => {
    const { job, runs } = flakyJob("count");
    let calls = 0;
    const factory = () => {
      calls++;
      if (calls === 1) throw new Error("bad config");
      return services("eu-west-1");
    };
    const w = setupWorker({ jobs: [job], worker: { services: factory } });
    await w.jobs.enqueue(job, { n: 1 });
    await expect(w.invoke()).rejects.toThrow("bad config");
    w.clock.advance(30);
    await w.invoke();
    expect(calls).toBe(2);
    expect(runs).toHaveLength(1);
  });
});

describe("bootstrapWorker: configuration", () => {
  it("with checkRedrivePolicy, warns when the queue's redrive maxReceiveCount is below a job's maxAttempts, once", async () => {
    const { job: strict } = flakyJob("strict", { retry: 5 });
    const { job: fine } = flakyJob("fine", { retry: 3 });
    const w = setupWorker({
      jobs: [strict, fine],
      driver: { maxReceiveCount: { default: 3 } },
      worker: { checkRedrivePolicy: true },
    });
    await w.jobs.enqueue(strict, { n: 1 });
    await w.invoke();
    await w.jobs.enqueue(fine, { n: 1 });
    await w.invoke();

    const warnings = w.log.find("warn", /maxReceiveCount|dead-letter queue after/);
    expect(warnings).toEqual([
      {
        level: "warn",
        msg: 'job "strict" allows 5 attempts but queue "default" moves messages to its dead-letter queue after 3 receives: raise maxReceiveCount to at least 5',
        fields: { queue: "default", jobName: "strict", maxAttempts: 5, maxReceiveCount: 3 },
        bindings: {},
      },
    ]);
    expect(w.driver.calls.queueInfo).toBe(1);
  });

  it("does not read the redrive policy at cold start without checkRedrivePolicy (the ops doctor checks it)", async () => {
    const { job: strict } = flakyJob("strict", { retry: 5 });
    const w = setupWorker({ jobs: [strict], driver: { maxReceiveCount: { default: 3 } } });
    await w.jobs.enqueue(strict, { n: 1 });
    await w.invoke();
    expect(w.driver.calls.queueInfo).toBe(0);
    expect(w.log.find("warn", /maxReceiveCount/)).toEqual([]);
  });

  it("does not warn when the redrive policy allows every attempt", async () => {
    const { job } = flakyJob("fine", { retry: 3 });
    const w = setupWorker({
      jobs: [job],
      driver: { maxReceiveCount: { default: 3 } },
      worker: { checkRedrivePolicy: true },
    });
    await w.jobs.enqueue(job, { n: 1 });
    await w.invoke();
    expect(w.log.lines.filter((l) => l.level === "warn")).toEqual([]);
  });

  it("throws at bootstrap when two jobs share a name", () => {
    const a = defineJob<{ n: number }>({ name: "dup", handler: () => {} });
    const b = defineJob<{ s: string }>({ name: "dup", queue: "other", handler: () => {} });
    const p = definePeriodicJob({ name: "dup", handler: () => {} });
    const driver = setupWorker({ jobs: [] }).driver;
    expect(() => bootstrapWorker({ jobs: [a, b], driver })).toThrow(
      'Two jobs are named "dup": job names must be unique',
    );
    expect(() => bootstrapWorker({ jobs: [a, p], driver })).toThrow(/Two jobs are named "dup"/);
    expect(() => bootstrapWorker({ jobs: [p, a], driver })).toThrow(/Two jobs are named "dup"/);
  });

  it("rejects a concurrency that is not a positive integer", () => {
    const driver = setupWorker({ jobs: [] }).driver;
    for (const concurrency of [0, -1, 1.5, Number.NaN]) {
      expect(() => bootstrapWorker({ jobs: [], driver, concurrency })).toThrow(RangeError);
    }
  });

  it("writes JSON lines with jobId, jobName and attempt through the default logger", async () => {
    const { job } = flakyJob("mail", { fail: () => new Error("down") });
    const w = setupWorker({ jobs: [job] });
    const lines: string[] = [];
    const spy = vi.spyOn(console, "log").mockImplementation((line: string) => {
      lines.push(line);
    });
    try {
      const handler = bootstrapWorker({
        jobs: [job],
        driver: w.driver,
        random: () => 0.5,
        now: () => w.clock.now(),
      });
      const enqueued = await w.jobs.enqueue(job, { n: 1 });
      const received = await w.driver.receive("default");
      await handler(sqsEvent(received), lambdaContext());
      const parsed = lines.map((line) => JSON.parse(line) as Record<string, unknown>);
      expect(parsed).toEqual([
        expect.objectContaining({
          level: "warn",
          msg: "job failed; will retry",
          jobId: enqueued.jobId,
          jobName: "mail",
          attempt: 1,
          messageId: must(received[0]).messageId,
          retryDelaySeconds: 1,
          err: expect.objectContaining({ type: "Error", message: "down" }),
        }),
      ]);
    } finally {
      spy.mockRestore();
    }
  });
});

describe("bootstrapWorker: outcomes reach aroundJob", () => {
  it("passes each outcome back from run()", async () => {
    const outcomes: JobOutcome[] = [];
    const { job } = flakyJob("mail", { fail: () => new Error("down") });
    const w = setupWorker({
      jobs: [job],
      worker: {
        hooks: [
          {
            aroundJob: async (_, run) => {
              outcomes.push(await run());
            },
          },
        ],
      },
    });
    await w.jobs.enqueue(job, { n: 1 });
    await w.invoke();
    expect(outcomes).toEqual([
      {
        status: "retry",
        error: new Error("down"),
        retryDelaySeconds: 1,
        durationMs: expect.any(Number),
      },
    ]);
  });
});
