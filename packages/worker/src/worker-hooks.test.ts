import { AsyncLocalStorage } from "node:async_hooks";
import type { JobFailure, JobOutcome, WorkerHooks } from "@glasswork/core";
import { defineJob, definePeriodicJob, type JobContext, PermanentJobError } from "@glasswork/core";
import { describe, expect, it } from "vitest";
import {
  callsOf,
  type HookCall,
  hookNames,
  hookRecorder,
  lambdaContext,
  must,
  setupWorker,
  sleep,
} from "./test-harness.js";

function countingJob(fail?: () => unknown) {
  const runs: JobContext[] = [];
  const job = defineJob<{ n: number }>({
    name: "count",
    retry: { maxAttempts: 5, backoff: { base: 10 } },
    handler: (_, ctx) => {
      runs.push(ctx);
      const error = fail?.();
      if (error !== undefined) throw error;
    },
  });
  return { job, runs };
}

describe("worker hooks: order", () => {
  it("runs before-hooks in order and after-hooks in reverse (success)", async () => {
    const { job } = countingJob();
    const w = setupWorker({ jobs: [job], hookSets: ["first", "second"] });
    await w.jobs.enqueue(job, { n: 1 });
    await w.invoke();
    expect(hookNames(w.calls)).toEqual([
      "first.aroundJob",
      "second.aroundJob",
      "first.onJobStart",
      "second.onJobStart",
      "second.onJobComplete",
      "first.onJobComplete",
      "second.aroundJob:done",
      "first.aroundJob:done",
    ]);
  });

  it("runs after-hooks in reverse (failure and dead letter)", async () => {
    const { job } = countingJob(() => new PermanentJobError("no"));
    const w = setupWorker({ jobs: [job], hookSets: ["first", "second"] });
    await w.jobs.enqueue(job, { n: 1 });
    await w.invoke();
    expect(hookNames(w.calls)).toEqual([
      "first.aroundJob",
      "second.aroundJob",
      "first.onJobStart",
      "second.onJobStart",
      "second.onJobFailed",
      "first.onJobFailed",
      "second.onJobDeadLetter",
      "first.onJobDeadLetter",
      "second.aroundJob:done",
      "first.aroundJob:done",
    ]);
  });

  it("runs onJobDeadLetter in reverse for an unreadable body", async () => {
    const w = setupWorker({ jobs: [countingJob().job], hookSets: ["first", "second"] });
    await w.driver.send([{ queue: "default", body: "%%%", attributes: {} }]);
    await w.invoke();
    expect(hookNames(w.calls)).toEqual(["second.onJobDeadLetter", "first.onJobDeadLetter"]);
  });

  it("gives every hook the context the handler got", async () => {
    const { job, runs } = countingJob(() => new Error("again"));
    const w = setupWorker({ jobs: [job] });
    await w.jobs.enqueue(job, { n: 1 });
    await w.invoke();
    const ctx = must(runs[0]);
    expect(callsOf(w.calls, "onJobStart")[0]?.args[1]).toBe(ctx);
    const failed = must(callsOf(w.calls, "onJobFailed")[0]);
    expect(failed.args[1]).toBe(ctx);
    expect(failed.args[0]).toBe(callsOf(w.calls, "aroundJob")[0]?.args[0]);
    expect(failed.args[2]).toEqual({
      error: new Error("again"),
      willRetry: true,
      retryDelaySeconds: 5,
      durationMs: expect.any(Number),
    } satisfies JobFailure);
  });
});

describe("worker hooks: failures never change the outcome", () => {
  const throwing = (how: "sync" | "async"): WorkerHooks => {
    const fail = (name: string) => {
      if (how === "sync") throw new Error(`${name} broke`);
      return Promise.reject(new Error(`${name} broke`));
    };
    return {
      onJobStart: () => fail("onJobStart"),
      onJobComplete: () => fail("onJobComplete"),
      onJobFailed: () => fail("onJobFailed"),
      onJobDeadLetter: () => fail("onJobDeadLetter"),
    };
  };

  it.each(["sync", "async"] as const)("keeps outcomes when every hook throws (%s)", async (how) => {
    let n = 0;
    const job = defineJob<{ n: number }>({
      name: "count",
      retry: { maxAttempts: 5, backoff: { base: 10 } },
      handler: () => {
        n++;
        if (n === 2) throw new Error("retry me");
        if (n === 3) throw new PermanentJobError("dead");
      },
    });
    const w = setupWorker({
      jobs: [job],
      worker: { hooks: [throwing(how)], concurrency: 1 },
    });
    for (let i = 0; i < 3; i++) await w.jobs.enqueue(job, { n: i });

    const { received, response } = await w.invoke();

    expect(response).toEqual({
      batchItemFailures: [{ itemIdentifier: must(received[1]).messageId }],
    });
    expect(w.driver.deadLetters.map((d) => d.reason)).toEqual(["permanent"]);
    w.clock.advance(5);
    expect(await w.driver.stats("default")).toEqual({ visible: 1, inFlight: 0, delayed: 0 });
    const hookErrors = w.log
      .find("error", /^hook \w+ failed; the job's outcome is unchanged$/)
      .map((l) => [l.fields.hook, (l.fields.err as Error).message]);
    expect(hookErrors).toEqual([
      ["onJobStart", "onJobStart broke"],
      ["onJobComplete", "onJobComplete broke"],
      ["onJobStart", "onJobStart broke"],
      ["onJobFailed", "onJobFailed broke"],
      ["onJobStart", "onJobStart broke"],
      ["onJobFailed", "onJobFailed broke"],
      ["onJobDeadLetter", "onJobDeadLetter broke"],
    ]);
  });

  it("goes on without a hook that hangs, after hookTimeoutMs", async () => {
    const { job, runs } = countingJob();
    const calls: { hook: string }[] = [];
    const hang = (hook: string) => () => {
      calls.push({ hook });
      return new Promise<void>(() => {});
    };
    const w = setupWorker({
      jobs: [job],
      worker: {
        hookTimeoutMs: 20,
        hooks: [{ onJobStart: hang("onJobStart"), onJobComplete: hang("onJobComplete") }],
      },
    });
    await w.jobs.enqueue(job, { n: 1 });
    const { response } = await w.invoke();
    expect(response).toEqual({ batchItemFailures: [] });
    expect(runs).toHaveLength(1);
    expect(calls).toEqual([{ hook: "onJobStart" }, { hook: "onJobComplete" }]);
    expect(
      w.log.find("error", /did not settle within 20 ms/).map((l) => [l.fields.hook, l.msg]),
    ).toEqual([
      ["onJobStart", "hook onJobStart did not settle within 20 ms; going on without it"],
      ["onJobComplete", "hook onJobComplete did not settle within 20 ms; going on without it"],
    ]);
    expect(w.driver.messages("default")).toEqual([]);
  });

  it("never lets a hook that rejects late become an unhandled rejection", async () => {
    const { job } = countingJob();
    const w = setupWorker({
      jobs: [job],
      worker: {
        hookTimeoutMs: 10,
        hooks: [
          {
            onJobStart: async () => {
              await sleep(30);
              throw new Error("too late");
            },
          },
        ],
      },
    });
    await w.jobs.enqueue(job, { n: 1 });
    expect((await w.invoke()).failed).toEqual([]);
    // Vitest fails the run on an unhandled rejection; give the late rejection time to happen.
    await sleep(40);
  });
});

describe("worker hooks: aroundJob", () => {
  it("wraps the handler so that context set around run() is current inside it", async () => {
    const als = new AsyncLocalStorage<string>();
    const seenInHandler: (string | undefined)[] = [];
    const seenInStart: (string | undefined)[] = [];
    const outcomes: JobOutcome[] = [];
    const job = defineJob<{ n: number }>({
      name: "traced",
      handler: async ({ n }) => {
        await sleep(1);
        seenInHandler.push(als.getStore());
        if (n === 2) throw new Error("fails");
      },
    });
    const w = setupWorker({
      jobs: [job],
      worker: {
        hooks: [
          {
            aroundJob: (execution, run) =>
              als.run(`span-${String((execution.payload as { n: number }).n)}`, async () => {
                outcomes.push(await run());
              }),
            onJobStart: () => {
              seenInStart.push(als.getStore());
            },
          },
        ],
        concurrency: 1,
      },
    });
    await w.jobs.enqueue(job, { n: 1 });
    await w.jobs.enqueue(job, { n: 2 });
    await w.invoke();

    expect(seenInHandler).toEqual(["span-1", "span-2"]);
    expect(seenInStart).toEqual(["span-1", "span-2"]);
    expect(als.getStore()).toBeUndefined();
    expect(outcomes).toEqual([
      { status: "completed", durationMs: expect.any(Number) },
      {
        status: "retry",
        error: new Error("fails"),
        retryDelaySeconds: 1,
        durationMs: expect.any(Number),
      },
    ]);
  });

  it("nests several aroundJob hooks, the first outermost", async () => {
    const als = new AsyncLocalStorage<string[]>();
    let seen: string[] | undefined;
    const job = defineJob<{ n: number }>({
      name: "traced",
      handler: () => {
        seen = als.getStore();
      },
    });
    const layer =
      (name: string): NonNullable<WorkerHooks["aroundJob"]> =>
      (_, run) =>
        als.run([...(als.getStore() ?? []), name], run);
    const w = setupWorker({
      jobs: [job],
      worker: { hooks: [{ aroundJob: layer("outer") }, { aroundJob: layer("inner") }] },
    });
    await w.jobs.enqueue(job, { n: 1 });
    await w.invoke();
    expect(seen).toEqual(["outer", "inner"]);
  });

  const misbehaving: [string, NonNullable<WorkerHooks["aroundJob"]>, RegExp[]][] = [
    [
      "throws before calling run (sync)",
      () => {
        throw new Error("around broke");
      },
      [/^hook aroundJob failed/, /did not call run\(\)/],
    ],
    [
      "rejects before calling run",
      async () => {
        throw new Error("around broke");
      },
      [/^hook aroundJob failed/, /did not call run\(\)/],
    ],
    [
      "throws after run",
      async (_, run) => {
        await run();
        throw new Error("around broke");
      },
      [/^hook aroundJob failed/],
    ],
    ["never calls run", async () => {}, [/did not call run\(\)/]],
    [
      "never calls run and never settles",
      () => new Promise(() => {}),
      [/did not call run\(\)/, /did not settle within 20 ms/],
    ],
    [
      "calls run twice",
      async (_, run) => {
        const [a, b] = await Promise.all([run(), run()]);
        if (a !== b) throw new Error("two different outcomes");
      },
      [],
    ],
    [
      "calls run only after the timeout",
      async (_, run) => {
        await sleep(60);
        await run();
      },
      [/did not call run\(\)/, /did not settle within 20 ms/],
    ],
  ];

  it.each(misbehaving)(
    "runs the job exactly once when aroundJob %s",
    async (_, aroundJob, logs) => {
      const { job, runs } = countingJob();
      const recorded: HookCall[] = [];
      const w = setupWorker({
        jobs: [job],
        worker: {
          hookTimeoutMs: 20,
          hooks: [{ aroundJob }, hookRecorder("inner", recorded)],
        },
      });
      await w.jobs.enqueue(job, { n: 1 });

      const { response } = await w.invoke();
      // A run() called late resolves after the batch; let it, then count again.
      await sleep(80);

      expect(response).toEqual({ batchItemFailures: [] });
      expect(runs).toHaveLength(1);
      expect(recorded.map((c) => c.hook)).toEqual([
        "aroundJob",
        "onJobStart",
        "onJobComplete",
        "aroundJob:done",
      ]);
      expect(w.driver.messages("default")).toEqual([]);
      const errors = w.log.lines.filter((l) => l.level === "error").map((l) => l.msg ?? "");
      expect(errors).toHaveLength(logs.length);
      logs.forEach((pattern, i) => {
        expect(errors[i]).toMatch(pattern);
      });
    },
  );

  it("wraps a periodic job too", async () => {
    const als = new AsyncLocalStorage<string>();
    let seen: string | undefined;
    const nightly = definePeriodicJob({
      name: "nightly",
      handler: () => {
        seen = als.getStore();
      },
    });
    const outcomes: JobOutcome[] = [];
    const w = setupWorker({
      jobs: [nightly],
      worker: {
        hooks: [
          {
            aroundJob: (execution, run) =>
              als.run(execution.kind, async () => {
                outcomes.push(await run());
              }),
          },
        ],
      },
    });
    await w.handler({ jobName: "nightly" }, lambdaContext());
    expect(seen).toBe("periodic");
    expect(outcomes).toEqual([{ status: "completed", durationMs: expect.any(Number) }]);
  });
});
