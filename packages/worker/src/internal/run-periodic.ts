import {
  type JobExecution,
  type PeriodicJobContext,
  type PeriodicJobDefinition,
  type Services,
  UnknownJobError,
} from "@glasswork/core";
import type { Context } from "aws-lambda";
import type { PeriodicInvocation } from "../periodic-invocation.js";
import { Deadline } from "./deadline.js";
import { deadlineMarginMs } from "./deadline-margin.js";
import { remainingTime } from "./invocation-context.js";
import { afterHooks } from "./lifecycle-hooks.js";
import { runAroundHooks } from "./run-around-hooks.js";
import { type JobSteps, runJob } from "./run-job.js";
import type { WorkerRuntime } from "./worker-runtime.js";

/** Runs a periodic job for an EventBridge invocation; rejects when it fails, so that the scheduler retries. */
export async function runPeriodic(
  rt: WorkerRuntime,
  services: Services,
  invocation: PeriodicInvocation,
  context: Context,
): Promise<void> {
  const job = rt.periodicJobs.get(invocation.jobName);
  if (!job) throw new UnknownJobError(invocation.jobName);
  const remainingMs = remainingTime(context);
  const deadline = new Deadline(remainingMs, deadlineMarginMs(remainingMs, rt.deadlineMarginMs));
  const execution: JobExecution = {
    // A rule event's id survives the scheduler's retries; the request id does not.
    jobId: invocation.id ?? context.awsRequestId,
    jobName: job.name,
    queue: "schedule",
    messageId: context.awsRequestId,
    attempt: 1,
    enqueuedAt: new Date(rt.now()),
    payload: invocation.payload,
    meta: {},
    kind: "periodic",
  };
  const ctx: PeriodicJobContext = {
    jobId: execution.jobId,
    jobName: execution.jobName,
    queue: execution.queue,
    attempt: 1,
    enqueuedAt: execution.enqueuedAt,
    meta: {},
    logger: rt.logger.child({ jobId: execution.jobId, jobName: job.name, attempt: 1 }),
    signal: deadline.signal,
    services,
    input: invocation.payload,
  };
  try {
    const state: PeriodicRun = { rt, deadline, execution, ctx, job };
    const outcome = await runAroundHooks(
      rt.hooks,
      execution,
      rt.logger,
      () => deadline.hookTimeoutMs(rt.hookTimeoutMs),
      async () => runJob(rt, deadline, execution, ctx, PERIODIC_STEPS, state),
    );
    if (outcome.status !== "completed") throw outcome.error;
  } finally {
    deadline.dispose();
  }
}

interface PeriodicRun {
  readonly rt: WorkerRuntime;
  readonly deadline: Deadline;
  readonly execution: JobExecution;
  readonly ctx: PeriodicJobContext;
  readonly job: PeriodicJobDefinition;
}

// No give-up race: a periodic job runs until it settles or Lambda ends the invocation, and its
// failure goes back to the scheduler, which retries.
const PERIODIC_STEPS: JobSteps<PeriodicRun> = {
  handle: async ({ job, ctx }) => {
    try {
      await job.handler(ctx);
      return undefined;
    } catch (value) {
      return { value };
    }
  },
  completed: () => {},
  failed: async ({ rt, deadline, execution, ctx }, failure, durationMs) => {
    const error = "value" in failure ? failure.value : undefined;
    ctx.logger.error({ err: error }, "periodic job failed");
    await afterHooks(rt, deadline, "onJobFailed", (h) =>
      h.onJobFailed?.(execution, ctx, {
        error,
        willRetry: true,
        retryDelaySeconds: undefined,
        durationMs,
      }),
    );
    return { status: "retry", error, ...(durationMs !== undefined && { durationMs }) };
  },
};
