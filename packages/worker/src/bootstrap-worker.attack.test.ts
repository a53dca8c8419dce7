import vm from "node:vm";
import { defineJob, PermanentJobError } from "@glasswork/core";
import { afterEach, beforeEach, describe, expect, it, vi } from "vitest";
import { lambdaContext, rawEnvelope, setupWorker } from "./test-harness.js";

// Review attacks on the outcome rules (DESIGN §7). Each test is named after the configuration it
// reproduces; each proved a problem, fixed since, and keeps it fixed.

beforeEach(() => {
  vi.useFakeTimers({
    toFake: ["setTimeout", "clearTimeout", "setInterval", "clearInterval", "Date", "performance"],
  });
});
afterEach(() => {
  vi.useRealTimers();
});

describe("Lambda (3 s timeout), a handler that ignores ctx.signal, its retry delivered to the same container", () => {
  // Lambda freezes the container when the invocation returns and thaws it for the next one: the
  // given-up handler is not killed, it resumes. When the retry (backoff 1 s) lands on the same
  // warm container, the worker starts the job again beside its still-running first run.
  it("never runs the same job twice at once in one container", async () => {
    let running = 0;
    let mostAtOnce = 0;
    const job = defineJob<{ n: number }>({
      name: "report",
      retry: { maxAttempts: 5, backoff: { base: 1, max: 1, jitter: "none" } },
      handler: async () => {
        running++;
        mostAtOnce = Math.max(mostAtOnce, running);
        await new Promise((resolve) => setTimeout(resolve, 10_000));
        running--;
      },
    });
    const w = setupWorker({ jobs: [job], hookSets: [] });
    await w.jobs.enqueue(job, { n: 1 });

    const first = w.invoke("default", lambdaContext({ remainingMs: 3_000 }));
    await vi.advanceTimersByTimeAsync(3_000);
    expect((await first).failed).toHaveLength(1); // given up at the deadline, retried
    expect(running).toBe(1); // the first run resumes with the next invocation

    w.clock.advance(1_000); // its retry delay
    const second = w.invoke("default", lambdaContext({ remainingMs: 3_000 }));
    await vi.advanceTimersByTimeAsync(3_000);
    const { received } = await second;
    expect(received).toHaveLength(1);
    expect(mostAtOnce).toBe(1);
  });
});

describe("Lambda (3 s timeout), jobs still running at the give-up, ChangeMessageVisibility throttled (400 ms with the SDK's retries)", () => {
  // After the give-up only a third of the margin (333 ms) is left. Hooks get the remaining
  // budget, but the driver calls that settle the given-up records (the retry delay) are awaited
  // without any bound: the response comes after the hard deadline, Lambda times the invocation
  // out and redelivers the whole batch — the records that completed run again.
  it("still answers before the hard deadline", async () => {
    const slow = defineJob<{ n: number }>({
      name: "slow",
      retry: { maxAttempts: 5, backoff: { base: 1, max: 1, jitter: "none" } },
      handler: () => new Promise((resolve) => setTimeout(resolve, 10_000)),
    });
    const quick = defineJob<{ n: number }>({ name: "quick", handler: () => {} });
    const w = setupWorker({ jobs: [slow, quick], hookSets: [] });
    const changeVisibility = w.driver.changeVisibility.bind(w.driver);
    w.driver.changeVisibility = async (...args) => {
      await new Promise((resolve) => setTimeout(resolve, 400));
      return changeVisibility(...args);
    };
    await w.jobs.enqueue(slow, { n: 1 });
    await w.jobs.enqueue(quick, { n: 2 });

    const startedAt = Date.now();
    let answeredAfterMs = Number.POSITIVE_INFINITY;
    const invocation = w.invoke("default", lambdaContext({ remainingMs: 3_000 })).then((result) => {
      answeredAfterMs = Date.now() - startedAt;
      return result;
    });
    await vi.advanceTimersByTimeAsync(5_000);
    await invocation;
    expect(answeredAfterMs).toBeLessThan(3_000);
  });
});

describe("a hook whose onJobStart returns a promise from another realm (node:vm, jsdom, a bundled polyfill)", () => {
  // safeHook waits only for `instanceof Promise`: a thenable from another realm is not waited
  // for, so the job starts before its start hook (a span, a lock, a context) is ready — and a
  // rejected one is never handled (an unhandled rejection, which crashes a Node process).
  it("waits for the hook before the handler starts, as for a native promise", async () => {
    const order: string[] = [];
    const foreignPromise = vm.runInNewContext("(executor) => new Promise(executor)") as (
      executor: (resolve: () => void) => void,
    ) => Promise<void>;
    const job = defineJob<{ n: number }>({
      name: "traced",
      handler: () => {
        order.push("handler");
      },
    });
    const w = setupWorker({
      jobs: [job],
      hookSets: [],
      worker: {
        hooks: [
          {
            onJobStart: () =>
              foreignPromise((resolve) =>
                setTimeout(() => {
                  order.push("onJobStart done");
                  resolve();
                }, 50),
              ),
          },
        ],
      },
    });
    await w.jobs.enqueue(job, { n: 1 });
    const invocation = w.invoke("default", lambdaContext({ remainingMs: 60_000 }));
    await vi.advanceTimersByTimeAsync(1_000);
    await invocation;
    expect(order).toEqual(["onJobStart done", "handler"]);
  });
});

describe("a PermanentJobError whose move to the dead-letter queue fails once (SendMessage throttled)", () => {
  // The record is deferred and comes back; on its next receive the handler runs again (the card
  // is charged again, the e-mail sent again) only to fail for good a second time. The outcome
  // was already decided: "dead-lettering is tried again on its next receive" should retry the
  // move, not the job — at least within the worker instance that decided it.
  it("runs the handler once and dead-letters it on the next receive", async () => {
    let runs = 0;
    const job = defineJob<{ n: number }>({
      name: "charge",
      handler: () => {
        runs++;
        throw new PermanentJobError("card declined");
      },
    });
    const w = setupWorker({ jobs: [job], hookSets: [] });
    await w.jobs.enqueue(job, { n: 1 });
    w.driver.failNext("moveToDeadLetter");
    const first = await w.invoke();
    expect(first.failed).toHaveLength(1);
    w.clock.advance("30s"); // the queue's visibility timeout
    await w.invoke();
    expect(w.driver.deadLetters).toHaveLength(1);
    expect(runs).toBe(1);
  });
});

describe("Lambda (3 s timeout), a schema whose async check hangs (a lookup without a timeout)", () => {
  // The handler is raced against the give-up time, the schema is not: the record never gets an
  // outcome, the invocation runs into Lambda's timeout and the whole batch comes back — the
  // quick job that completed beside it runs again. (In the poller the lane hangs for good and
  // the heartbeat keeps the message hidden forever.)
  it("answers before the hard deadline, the hung record retried and the quick one done", async () => {
    const hangingSchema = {
      "~standard": {
        version: 1 as const,
        vendor: "test",
        validate: () => new Promise<{ value: { n: number } }>(() => {}),
      },
    };
    const hung = defineJob({
      name: "hung-schema",
      schema: hangingSchema,
      handler: () => {},
    });
    const quick = defineJob<{ n: number }>({ name: "quick", handler: () => {} });
    const w = setupWorker({ jobs: [hung, quick], hookSets: [] });
    await w.jobs.enqueue(quick, { n: 1 });
    await w.driver.send([
      {
        queue: "default",
        body: rawEnvelope({ id: "job-hung", name: "hung-schema", payload: { n: 2 } }),
        attributes: {},
      },
    ]);

    let answered = false;
    const invocation = w.invoke("default", lambdaContext({ remainingMs: 3_000 })).then((r) => {
      answered = true;
      return r;
    });
    await vi.advanceTimersByTimeAsync(3_000);
    expect(answered).toBe(true);
    const { failed, received } = await invocation;
    expect(received).toHaveLength(2);
    expect(failed).toHaveLength(1);
  });
});

describe("Lambda (3 s timeout), hookTimeoutMs 2,000 (default), an aroundJob hook that hangs before calling run(), a 700 ms job", () => {
  // "A failing hook never changes a job's outcome": the hook is bypassed after its timeout, but
  // that fixed 2,000 ms is two thirds of a 3 s function (the margin scales to the function, the
  // hook timeout does not). The job starts only at 2,000 ms (its signal already aborted), is
  // given up at 2,667 ms and retried: the hung hook turns a job that needs 700 ms into a retry,
  // on every invocation, until it is dead-lettered as retry-exhausted.
  it("bypasses the hook in time for the job to complete", async () => {
    const job = defineJob<{ n: number }>({
      name: "half-second",
      handler: () => new Promise((resolve) => setTimeout(resolve, 700)),
    });
    const w = setupWorker({
      jobs: [job],
      hookSets: [],
      worker: { hooks: [{ aroundJob: () => new Promise(() => {}) }] },
    });
    await w.jobs.enqueue(job, { n: 1 });
    const invocation = w.invoke("default", lambdaContext({ remainingMs: 3_000 }));
    await vi.advanceTimersByTimeAsync(3_000);
    const { failed } = await invocation;
    expect(failed).toEqual([]);
  });
});

describe("unknownJobRetry: false (read as 'do not wait for a deploy, dead-letter at once'), a message for a job this worker does not know", () => {
  // `false` resolves to { maxAttempts: 1, dead: false }: the unknown job's message is discarded
  // — deleted — at once. During a deploy skew (producers first) the newer worker that knows the
  // job never sees it: the job is lost. The same policy deletes messages signed with a key this
  // worker does not hold yet. Unknown jobs must never be discarded: dead-letter them.
  it("dead-letters it (never deletes a job no worker ran)", async () => {
    const known = defineJob<{ n: number }>({ name: "known", handler: () => {} });
    const w = setupWorker({ jobs: [known], hookSets: [], worker: { unknownJobRetry: false } });
    await w.driver.send([
      {
        queue: "default",
        body: rawEnvelope({ id: "job-new", name: "added-in-the-next-release", payload: {} }),
        attributes: {},
      },
    ]);
    await w.invoke();
    expect(w.driver.deadLetters).toHaveLength(1);
  });
});
