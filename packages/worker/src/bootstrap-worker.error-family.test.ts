import { defineJob, isJobError, JobService, type Services, silentLogger } from "@glasswork/core";
import { resolveRetryPolicy } from "@glasswork/core/internal";
import { MockQueueDriver } from "@glasswork/driver-mock";
import { describe, expect, it } from "vitest";
import { bootstrapWorker } from "./bootstrap-worker.js";
import { Deadline } from "./internal/deadline.js";
import { GivenUpRuns } from "./internal/given-up-runs.js";
import { processBatch } from "./internal/process-batch.js";
import { RunLedger } from "./internal/run-ledger.js";
import type { WorkerRuntime } from "./internal/worker-runtime.js";

// Issue 17 item 5: every error the worker makes is a JobError with a code, so that isJobError
// (which survives duplicate package copies) recognises it in hooks, logs and error trackers.

describe("the worker's errors", () => {
  it("aborts ctx.signal with a DeadlineError (code DEADLINE)", () => {
    const deadline = new Deadline(0, 0);
    expect(isJobError(deadline.signal.reason, "DEADLINE")).toBe(true);
    expect(deadline.signal.reason).toMatchObject({
      name: "DeadlineError",
      message: "the invocation deadline is near",
    });
    deadline.dispose();
  });

  it("gives FIFO records held back behind a failure a FifoGroupHeldBackError (code FIFO_GROUP_HELD_BACK)", async () => {
    const ship = defineJob<{ step: number }>({
      name: "ship",
      queue: "orders.fifo",
      group: () => "order-1",
      handler: ({ step }) => {
        if (step === 1) throw new Error("carrier down");
      },
    });
    const driver = new MockQueueDriver();
    await new JobService(driver).enqueueBatch(
      [1, 2].map((step) => ({ job: ship, payload: { step } })),
    );
    const rt: WorkerRuntime = {
      driver,
      jobs: new Map([[ship.name, ship]]),
      periodicJobs: new Map(),
      hooks: [],
      logger: silentLogger,
      concurrency: 10,
      hookTimeoutMs: 2_000,
      deadlineMarginMs: 3_000,
      unknownJobRetry: resolveRetryPolicy(),
      random: () => 0.5,
      now: Date.now,
      signer: undefined,
      ledger: new RunLedger(),
      givenUp: new GivenUpRuns(),
    };
    const deadline = new Deadline(Number.POSITIVE_INFINITY, 3_000);
    const outcomes = await processBatch(
      rt,
      {
        services: {} as Services,
        deadline,
        startedAt: Date.now(),
        settle: async () => {},
        holdWhileRunning: undefined,
        timed: true,
      },
      await driver.receive("orders.fifo", { maxMessages: 10 }),
    );
    expect(outcomes.map((o) => o.status)).toEqual(["retry", "deferred"]);
    expect(isJobError(outcomes[1]?.error, "FIFO_GROUP_HELD_BACK")).toBe(true);
    expect(outcomes[1]?.error).toMatchObject({
      message: 'an earlier message of FIFO group "order-1" failed in this batch',
    });
  });

  it("refuses two jobs with one name with a DuplicateJobNameError (code DUPLICATE_JOB_NAME)", () => {
    const a = defineJob({ name: "same", handler: () => {} });
    const b = defineJob({ name: "same", handler: () => {} });
    let error: unknown;
    try {
      bootstrapWorker({ jobs: [a, b], driver: new MockQueueDriver() });
    } catch (e) {
      error = e;
    }
    expect(isJobError(error, "DUPLICATE_JOB_NAME")).toBe(true);
    expect((error as Error).message).toBe('Two jobs are named "same": job names must be unique');
  });
});
