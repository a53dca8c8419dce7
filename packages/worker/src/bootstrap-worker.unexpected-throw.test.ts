import { defineJob, type Logger, RetryExhaustedError } from "@glasswork/core";
import { describe, expect, it } from "vitest";
import { bootstrapWorker } from "./bootstrap-worker.js";
import { callsOf, lambdaContext, setupWorker, sqsEvent } from "./test-harness.js";

// Issue 18 item 13: a throw inside the job's run that is not the handler's (here a user backoff
// function with a bug) used to leave the record "deferred" on every receive, never dead-lettered,
// and the log blamed the aroundJob hook. It must reach an outcome and name the real culprit.

describe("a job whose retry backoff function throws", () => {
  const buggyBackoff = (attempts: number) =>
    defineJob<{ n: number }>({
      name: "sync-crm",
      retry: {
        maxAttempts: attempts,
        backoff: () => {
          throw new TypeError("Cannot read properties of undefined (reading 'base')");
        },
      },
      handler: () => {
        throw new Error("CRM returned 502");
      },
    });

  it("is retried with the default backoff, and the log blames the backoff function, not a hook", async () => {
    const job = buggyBackoff(3);
    const w = setupWorker({ jobs: [job] });
    await w.jobs.enqueue(job, { n: 1 });

    const { failed } = await w.invoke();

    expect(failed).toHaveLength(1);
    const failure = callsOf(w.calls, "onJobFailed")[0]?.args[2] as {
      willRetry: boolean;
      retryDelaySeconds: number;
      error: Error;
    };
    // The default backoff: full jitter from 1 s, random() = 0.5 in the harness.
    expect(failure).toMatchObject({ willRetry: true, retryDelaySeconds: 1 });
    expect(failure.error.message).toBe("CRM returned 502");
    const [blame] = w.log.find("error", /retry backoff function threw/);
    expect(blame?.fields.err).toBeInstanceOf(TypeError);
    expect(blame?.fields.jobName).toBe("sync-crm");
    expect(w.log.find("error", /hook/)).toEqual([]);
    const outcome = callsOf(w.calls, "aroundJob:done")[0]?.args[0] as { status: string };
    expect(outcome.status).toBe("retry");
  });

  it("is dead-lettered (retry-exhausted) when its attempts run out, instead of coming back forever", async () => {
    const job = buggyBackoff(2);
    const w = setupWorker({ jobs: [job] });
    await w.jobs.enqueue(job, { n: 1 });
    await w.invoke();
    w.clock.advance(1);
    const { failed } = await w.invoke();
    expect(failed).toEqual([]);
    expect(w.driver.deadLetters.map((d) => [d.reason, d.attempt])).toEqual([
      ["retry-exhausted", 2],
    ]);
    const deadLetter = callsOf(w.calls, "onJobDeadLetter")[0]?.args[0] as { error: unknown };
    expect(deadLetter.error).toBeInstanceOf(RetryExhaustedError);
  });
});

describe("a record whose processing throws outside the handler (a logger whose child() throws)", () => {
  it("is retried with the default backoff and dead-lettered when exhausted", async () => {
    const ghost = {
      v: 1,
      id: "g1",
      name: "ghost",
      payload: {},
      enqueuedAt: "2026-01-01T00:00:00.000Z",
    };
    const w = setupWorker({ jobs: [], hookSets: [] });
    const broken: Logger = {
      ...w.log.logger,
      child: () => {
        throw new Error("logger transport closed");
      },
    };
    const handler = bootstrapWorker({
      jobs: [],
      driver: w.driver,
      logger: broken,
      now: () => w.clock.now(),
      random: () => 0.5,
      unknownJobRetry: { maxAttempts: 2 },
    });
    await w.driver.send([{ queue: "default", body: JSON.stringify(ghost), attributes: {} }]);

    const first = await handler(sqsEvent(await w.driver.receive("default")), lambdaContext());
    expect(first.batchItemFailures).toHaveLength(1);
    expect(w.log.find("error", /unexpected error while processing a record/)).toHaveLength(1);
    w.clock.advance(1);
    const second = await handler(sqsEvent(await w.driver.receive("default")), lambdaContext());
    expect(second.batchItemFailures).toEqual([]);
    expect(w.driver.deadLetters.map((d) => d.reason)).toEqual(["retry-exhausted"]);
    expect(w.driver.deadLetters[0]?.error).toMatch(/logger transport closed/);
  });
});
