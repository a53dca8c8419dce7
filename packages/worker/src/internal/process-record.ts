import {
  type AnyJobDefinition,
  type InvalidJobPayloadError,
  type JobContext,
  type JobEnvelope,
  type JobOutcome,
  type PayloadClaim,
  type ReceivedMessage,
  TransientJobError,
  UnknownJobError,
  type ValidatorError,
} from "@glasswork/core";
import { type ValidatePayloadResult, validatePayload } from "@glasswork/core/internal";
import { type Admission, admitRecord, Refused } from "./admit-record.js";
import { deadLetterRecord } from "./dead-letter-record.js";
import { expireRecord } from "./expire-record.js";
import { afterHooks } from "./lifecycle-hooks.js";
import { loadClaimedPayload, releaseClaim } from "./load-claimed-payload.js";
import { createRecordRun, type RecordRun, setExecution, setRecordContext } from "./record-run.js";
import { retryDeadLetter } from "./retry-dead-letter.js";
import { runAroundHooks } from "./run-around-hooks.js";
import { runHandler } from "./run-handler.js";
import { type JobSteps, runJob } from "./run-job.js";
import { settleFailure } from "./settle-failure.js";
import type { Invocation, WorkerRuntime } from "./worker-runtime.js";

/** An outcome now, or later: records whose every step is synchronous take no promise. */
export type MaybeOutcome = JobOutcome | Promise<JobOutcome>;

/**
 * Turns one received message into exactly one outcome (DESIGN §7): admit it (signature,
 * envelope, relay), run the handler, then settle a failure (retry or dead-letter), firing each
 * lifecycle hook at most once. Synchronous when every step is — no hooks, a synchronous schema
 * and handler, a success — so that a batch of such records allocates no promise per record.
 */
export function processRecord(
  rt: WorkerRuntime,
  invocation: Invocation,
  message: ReceivedMessage,
): MaybeOutcome {
  const run = createRecordRun(rt, invocation, message);
  if (run.history.deadLetter !== undefined) return retryDeadLetter(run, run.history.deadLetter);
  const admission = admitRecord(run);
  return admission instanceof Promise
    ? admission.then((admitted) => runAdmitted(run, admitted))
    : runAdmitted(run, admission);
}

function runAdmitted(run: RecordRun, admission: Admission): MaybeOutcome {
  if (admission instanceof Refused) return admission.outcome;
  run.envelope = admission;
  const { rt, invocation } = run;
  // Without hooks, no closures and no execution object: this path runs for every record.
  if (rt.hooks.length === 0) return execute(run, admission);
  const execution = setExecution(run, admission);
  const timeoutMs = () => invocation.deadline.hookTimeoutMs(rt.hookTimeoutMs);
  return runAroundHooks(rt.hooks, execution, rt.logger, timeoutMs, async () =>
    execute(run, admission),
  );
}

function execute(run: RecordRun, envelope: JobEnvelope): MaybeOutcome {
  const { rt } = run;
  const ctx = setRecordContext(run, envelope, run.attempt);
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
  if (envelope.claim) return executeClaimed(run, job, { ...envelope, claim: envelope.claim });
  return validate(run, job, envelope, envelope.payload);
}

async function executeClaimed(
  run: RecordRun,
  job: AnyJobDefinition,
  envelope: JobEnvelope & { claim: PayloadClaim },
): Promise<JobOutcome> {
  const loaded = await loadClaimedPayload(run, job, envelope);
  if (!loaded.ok) return loaded.outcome;
  return validate(run, job, envelope, loaded.payload);
}

function validate(
  run: RecordRun,
  job: AnyJobDefinition,
  envelope: JobEnvelope,
  payload: unknown,
): MaybeOutcome {
  const pending = validatePayload(job, payload);
  // Synchronous schemas (valibot's) stay synchronous. An async one is raced against the give-up
  // time like the handler: a check that hangs must not hold the batch past its deadline (Lambda
  // would then redeliver every record of it).
  if (!(pending instanceof Promise)) return runValidated(run, job, envelope, pending);
  const { deadline } = run.invocation;
  const settled = deadline.finite ? Promise.race([pending, deadline.gaveUp()]) : pending;
  return settled.then((validated) => runValidated(run, job, envelope, validated));
}

function runValidated(
  run: RecordRun,
  job: AnyJobDefinition,
  envelope: JobEnvelope,
  validated: ValidatePayloadResult<unknown> | "gave-up",
): MaybeOutcome {
  const { rt, invocation } = run;
  const ctx = run.ctx as JobContext;
  if (validated === "gave-up") {
    const error = new TransientJobError(
      "the job's schema was still validating when the invocation ran out of time",
    );
    ctx.logger.warn({ err: error }, "the job's schema did not settle before the deadline");
    return settleFailure(run, { error, policy: job.retry });
  }
  if (!validated.ok) return refuseInvalid(run, job, envelope, validated.error);
  // Set only when a failure can dead-letter a job that has its own onDeadLetter.
  if (job.onDeadLetter) {
    run.deadLetterTarget = { job, payload: validated.value, payloadValid: true };
  }
  const expired = expireRecord(run, job, envelope, validated.value);
  if (expired) return expired;

  run.job = job;
  run.payload = validated.value;
  if (envelope.claim) run.claimed = envelope;
  return runJob(rt, invocation.deadline, run.execution, ctx, RECORD_STEPS, run, invocation.timed);
}

async function refuseInvalid(
  run: RecordRun,
  job: AnyJobDefinition,
  envelope: JobEnvelope,
  error: InvalidJobPayloadError | ValidatorError,
): Promise<JobOutcome> {
  const { rt, invocation } = run;
  const ctx = run.ctx as JobContext;
  if (error.code === "VALIDATOR_FAILED") {
    // The schema itself failed (an async check that could not reach its service): retry.
    ctx.logger.warn({ err: error }, "the job's schema threw while validating");
    return settleFailure(run, {
      error,
      policy: job.retry,
      deadLetterTarget: { job, payload: envelope.payload, payloadValid: false },
    });
  }
  ctx.logger.warn({ err: error }, "invalid payload");
  const execution = run.execution;
  if (execution) {
    await afterHooks(rt, invocation.deadline, "onJobFailed", (h) =>
      h.onJobFailed?.(execution, ctx, {
        error,
        willRetry: false,
        retryDelaySeconds: undefined,
        durationMs: undefined,
      }),
    );
  }
  return deadLetterRecord(run, "invalid-payload", error, {
    job,
    payload: envelope.payload,
    payloadValid: false,
  });
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
    const { envelope } = run;
    // The parent logger with explicit fields: a child logger per record costs more than a no-op
    // job. Untimed means the logger said it drops debug lines.
    if (durationMs !== undefined)
      rt.logger.debug(
        {
          jobId: envelope?.id,
          jobName: envelope?.name,
          attempt: run.attempt,
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
