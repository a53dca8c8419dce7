import {
  type AnyJobDefinition,
  type JobContext,
  type JobEnvelope,
  type JobExecution,
  type JobOutcome,
  type ReceivedMessage,
  TransientJobError,
  UnknownJobError,
} from "@glasswork/core";
import { validatePayload } from "@glasswork/core/internal";
import { admitRecord, Refused } from "./admit-record.js";
import { deadLetterRecord } from "./dead-letter-record.js";
import { expireRecord } from "./expire-record.js";
import { afterHooks } from "./lifecycle-hooks.js";
import { loadClaimedPayload, releaseClaim } from "./load-claimed-payload.js";
import { RecordContext } from "./record-context.js";
import { createRecordRun, type RecordRun } from "./record-run.js";
import { retryDeadLetter } from "./retry-dead-letter.js";
import { runAroundHooks } from "./run-around-hooks.js";
import { runHandler } from "./run-handler.js";
import { type JobSteps, runJob } from "./run-job.js";
import { settleFailure } from "./settle-failure.js";
import type { Invocation, WorkerRuntime } from "./worker-runtime.js";

/**
 * Turns one received message into exactly one outcome (DESIGN §7): admit it (signature,
 * envelope, relay), run the handler, then settle a failure (retry or dead-letter), firing each
 * lifecycle hook at most once.
 */
export async function processRecord(
  rt: WorkerRuntime,
  invocation: Invocation,
  message: ReceivedMessage,
): Promise<JobOutcome> {
  const run = createRecordRun(rt, invocation, message);
  if (run.history.deadLetter !== undefined) return retryDeadLetter(run, run.history.deadLetter);
  const pending = admitRecord(run);
  const envelope = pending instanceof Promise ? await pending : pending;
  if (envelope instanceof Refused) return envelope.outcome;

  const execution: JobExecution = {
    jobId: envelope.id,
    jobName: envelope.name,
    queue: message.queue,
    messageId: message.messageId,
    attempt: run.attempt,
    enqueuedAt: new Date(envelope.enqueuedAt),
    payload: envelope.payload,
    meta: envelope.meta ?? {},
    kind: "job",
  };
  // Frozen when hooks see it, like the context and the outcome: the worker reads them back
  // after hooks ran, so a hook that writes to them must fail, not steer the outcome.
  if (rt.hooks.length > 0) Object.freeze(execution);
  run.execution = execution;
  // Without hooks, no closures: this path runs for every record.
  if (rt.hooks.length === 0) return execute(run, envelope);
  const timeoutMs = () => invocation.deadline.hookTimeoutMs(rt.hookTimeoutMs);
  return runAroundHooks(rt.hooks, execution, rt.logger, timeoutMs, () => execute(run, envelope));
}

async function execute(run: RecordRun, envelope: JobEnvelope): Promise<JobOutcome> {
  const { rt, invocation } = run;
  const execution = run.execution as JobExecution;
  const ctx = new RecordContext(rt.logger, invocation, execution);
  run.ctx = rt.hooks.length > 0 ? Object.freeze(ctx) : ctx;
  const job = rt.jobs.get(envelope.name);
  if (!job) {
    const error = new UnknownJobError(envelope.name);
    ctx.logger.warn({ err: error }, "unknown job (a deploy skew?)");
    return settleFailure(run, {
      error,
      policy: rt.unknownJobRetry,
      exhaustedReason: "unknown-job",
    });
  }

  let payload = envelope.payload;
  if (envelope.claim) {
    const loaded = await loadClaimedPayload(run, job, { ...envelope, claim: envelope.claim });
    if (!loaded.ok) return loaded.outcome;
    payload = loaded.payload;
  }
  const pending = validatePayload(job, payload);
  // Synchronous schemas (valibot's) skip a microtask on the hot path. An async one is raced
  // against the give-up time like the handler: a check that hangs must not hold the batch past
  // its deadline (Lambda would then redeliver every record of it).
  const validated =
    pending instanceof Promise
      ? await (invocation.deadline.finite
          ? Promise.race([pending, invocation.deadline.gaveUp()])
          : pending)
      : pending;
  if (validated === "gave-up") {
    const error = new TransientJobError(
      "the job's schema was still validating when the invocation ran out of time",
    );
    ctx.logger.warn({ err: error }, "the job's schema did not settle before the deadline");
    return settleFailure(run, { error, policy: job.retry });
  }
  if (!validated.ok) {
    if (validated.error.code === "VALIDATOR_FAILED") {
      // The schema itself failed (an async check that could not reach its service): retry.
      ctx.logger.warn({ err: validated.error }, "the job's schema threw while validating");
      return settleFailure(run, {
        error: validated.error,
        policy: job.retry,
        deadLetterTarget: { job, payload: envelope.payload, payloadValid: false },
      });
    }
    ctx.logger.warn({ err: validated.error }, "invalid payload");
    await afterHooks(rt, invocation.deadline, "onJobFailed", (h) =>
      h.onJobFailed?.(execution, ctx, {
        error: validated.error,
        willRetry: false,
        retryDelaySeconds: undefined,
        durationMs: undefined,
      }),
    );
    return deadLetterRecord(run, "invalid-payload", validated.error, {
      job,
      payload: envelope.payload,
      payloadValid: false,
    });
  }
  // Set only when a failure can dead-letter a job that has its own onDeadLetter.
  if (job.onDeadLetter) {
    run.deadLetterTarget = { job, payload: validated.value, payloadValid: true };
  }
  const expired = expireRecord(run, job, envelope, validated.value);
  if (expired) return expired;

  run.job = job;
  run.payload = validated.value;
  if (envelope.claim) run.claimed = envelope;
  return runJob(rt, invocation.deadline, execution, ctx, RECORD_STEPS, run);
}

const RECORD_STEPS: JobSteps<RecordRun> = {
  handle: (run) =>
    runHandler(
      run.job as AnyJobDefinition,
      run.payload,
      run.ctx as JobContext,
      run.invocation.deadline,
    ),
  completed: (run, durationMs) => {
    const { rt, message } = run;
    const execution = run.execution as JobExecution;
    // The parent logger with explicit fields: a child logger per record costs more than a no-op job.
    rt.logger.debug(
      {
        jobId: execution.jobId,
        jobName: execution.jobName,
        attempt: execution.attempt,
        durationMs,
      },
      "job completed",
    );
    if (run.history.failures > 0 || run.history.releases > 0) rt.ledger.forget(message.messageId);
    if (run.claimed) return releaseClaim(run, run.claimed);
  },
  failed: (run, failure, durationMs) => {
    const policy = (run.job as AnyJobDefinition).retry;
    const target = run.deadLetterTarget;
    if ("gaveUp" in failure) {
      if (!run.invocation.holdWhileRunning)
        run.rt.givenUp.add(run.message.messageId, failure.running);
      // A new error per record, so that error trackers see each timed-out job.
      const error = new TransientJobError(
        "the job was still running when the invocation ran out of time",
      );
      return settleFailure(run, {
        error,
        policy,
        durationMs,
        stillRunning: failure.running,
        ...(target && { deadLetterTarget: target }),
      });
    }
    return settleFailure(run, {
      error: failure.value,
      policy,
      durationMs,
      ...(target && { deadLetterTarget: target }),
    });
  },
};
