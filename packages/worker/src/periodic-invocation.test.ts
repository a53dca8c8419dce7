import type { JobExecution, JobFailure } from "@glasswork/core";
import {
  defineJob,
  definePeriodicJob,
  isJobError,
  type PeriodicJobContext,
  UnknownJobError,
  UnsupportedEventError,
} from "@glasswork/core";
import type { EventBridgeEvent } from "aws-lambda";
import { describe, expect, it } from "vitest";
import { readPeriodicInvocation } from "./periodic-invocation.js";
import { callsOf, hookNames, lambdaContext, must, setupWorker } from "./test-harness.js";

const scheduledEvent: EventBridgeEvent<"Scheduled Event", { jobName: string }> = {
  version: "0",
  id: "53dc4d37-cffa-4f76-80c9-8b7d4a4d2eaa",
  "detail-type": "Scheduled Event",
  source: "aws.events",
  account: "123456789012",
  time: "2026-01-01T03:00:00Z",
  region: "us-east-1",
  resources: ["arn:aws:events:us-east-1:123456789012:rule/nightly-report"],
  detail: { jobName: "nightly-report" },
};

function periodic(fail?: unknown) {
  const runs: PeriodicJobContext[] = [];
  const job = definePeriodicJob({
    name: "nightly-report",
    schedule: "cron(0 3 * * ? *)",
    handler: (ctx) => {
      runs.push(ctx);
      if (fail !== undefined) throw fail;
    },
  });
  return { job, runs };
}

describe("readPeriodicInvocation", () => {
  it("reads a scheduler invocation, a rule's detail, and nothing else", () => {
    expect(readPeriodicInvocation({ jobName: "a", payload: { x: 1 } })).toEqual({
      jobName: "a",
      payload: { x: 1 },
    });
    expect(readPeriodicInvocation({ jobName: "a" })).toEqual({ jobName: "a", payload: undefined });
    expect(readPeriodicInvocation(scheduledEvent)).toEqual({
      jobName: "nightly-report",
      payload: undefined,
      id: "53dc4d37-cffa-4f76-80c9-8b7d4a4d2eaa",
    });
    expect(readPeriodicInvocation({ detail: { jobName: "b", payload: [1] } })).toEqual({
      jobName: "b",
      payload: [1],
    });
    for (const event of [
      null,
      undefined,
      "nightly-report",
      42,
      { Records: [], jobName: "x" },
      { jobName: 42 },
      { detail: null },
      { detail: { jobName: 1 } },
      { httpMethod: "GET", path: "/" },
    ]) {
      expect(readPeriodicInvocation(event)).toBeUndefined();
    }
  });
});

describe("bootstrapWorker: periodic jobs", () => {
  it("runs the job named by an EventBridge Scheduler invocation with its payload", async () => {
    const { job, runs } = periodic();
    const w = setupWorker({ jobs: [job] });
    const context = lambdaContext({ awsRequestId: "req-1" });

    await expect(
      w.handler({ jobName: "nightly-report", payload: { day: "2026-01-01" } }, context),
    ).resolves.toBeUndefined();

    expect(runs).toHaveLength(1);
    const ctx = must(runs[0]);
    expect(ctx).toMatchObject({
      jobId: "req-1",
      jobName: "nightly-report",
      queue: "schedule",
      attempt: 1,
      enqueuedAt: new Date("2026-01-01T00:00:00.000Z"),
      meta: {},
      input: { day: "2026-01-01" },
    });
    expect(ctx.signal.aborted).toBe(false);
    ctx.logger.info({}, "from the job");
    expect(w.log.find("info", /^from the job$/)[0]?.bindings).toEqual({
      jobId: "req-1",
      jobName: "nightly-report",
      attempt: 1,
    });
    expect(hookNames(w.calls)).toEqual([
      "hooks.aroundJob",
      "hooks.onJobStart",
      "hooks.onJobComplete",
      "hooks.aroundJob:done",
    ]);
    expect(callsOf(w.calls, "aroundJob")[0]?.args[0]).toEqual({
      jobId: "req-1",
      jobName: "nightly-report",
      queue: "schedule",
      messageId: "req-1",
      attempt: 1,
      enqueuedAt: new Date("2026-01-01T00:00:00.000Z"),
      payload: { day: "2026-01-01" },
      meta: {},
      kind: "periodic",
    } satisfies JobExecution);
    expect(w.driver.calls.receive).toBe(0);
    expect(w.driver.calls.send).toBe(0);
  });

  it("runs the job named in an EventBridge rule's detail", async () => {
    const { job, runs } = periodic();
    const w = setupWorker({ jobs: [job] });
    await expect(w.handler(scheduledEvent, lambdaContext())).resolves.toBeUndefined();
    expect(runs).toHaveLength(1);
    expect(must(runs[0]).input).toBeUndefined();
    // The rule event's id, which stays the same when EventBridge retries the invocation.
    expect(must(runs[0]).jobId).toBe("53dc4d37-cffa-4f76-80c9-8b7d4a4d2eaa");
  });

  it("rejects when the job fails, so that the scheduler retries", async () => {
    const error = new Error("warehouse unreachable");
    const { job, runs } = periodic(error);
    const w = setupWorker({ jobs: [job] });
    await expect(w.handler({ jobName: "nightly-report" }, lambdaContext())).rejects.toBe(error);
    expect(runs).toHaveLength(1);
    expect(hookNames(w.calls)).toEqual([
      "hooks.aroundJob",
      "hooks.onJobStart",
      "hooks.onJobFailed",
      "hooks.aroundJob:done",
    ]);
    expect(callsOf(w.calls, "onJobFailed")[0]?.args[2]).toEqual({
      error,
      willRetry: true,
      retryDelaySeconds: undefined,
      durationMs: expect.any(Number),
    } satisfies JobFailure);
    expect(w.log.find("error", /^periodic job failed$/)).toHaveLength(1);
  });

  it("rejects with UnknownJobError for a name it does not know, even a queue job's", async () => {
    const queueJob = defineJob<{ n: number }>({ name: "count", handler: () => {} });
    const { job, runs } = periodic();
    const w = setupWorker({ jobs: [job, queueJob] });
    for (const jobName of ["weekly-report", "count"]) {
      const rejection = w.handler({ jobName }, lambdaContext());
      await expect(rejection).rejects.toBeInstanceOf(UnknownJobError);
      await expect(rejection).rejects.toThrow(`No job named "${jobName}"`);
      await rejection.catch((error: unknown) => {
        expect(isJobError(error, "UNKNOWN_JOB")).toBe(true);
      });
    }
    expect(runs).toEqual([]);
    expect(w.calls).toEqual([]);
  });

  it("rejects an event that is neither SQS nor a periodic invocation with an UnsupportedEventError", async () => {
    const w = setupWorker({ jobs: [periodic().job] });
    const apiGateway = { httpMethod: "GET", path: "/", headers: {} };
    await expect(w.handler(apiGateway as never, lambdaContext())).rejects.toThrow(
      new UnsupportedEventError(undefined),
    );
    await expect(w.handler(apiGateway as never, lambdaContext())).rejects.toThrow(
      "The worker received an event that is neither an SQS event nor a periodic job invocation",
    );
    const error = await w.handler({ Records: "nope" } as never, lambdaContext()).catch((e) => e);
    expect(isJobError(error, "UNSUPPORTED_EVENT")).toBe(true);
  });
});
