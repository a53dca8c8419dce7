import type { JobOutcome } from "@glasswork/core";
import {
  type DeadLetterReason,
  isJobError,
  RetryExhaustedError,
  type RetryPolicy,
} from "@glasswork/core";
import { decideRetry, type RetryDecision } from "@glasswork/core/internal";
import { deadLetterRecord } from "./dead-letter-record.js";
import { afterHooks } from "./lifecycle-hooks.js";
import type { RecordRun } from "./record-run.js";
import { setRecordVisibility, visibilityCapSeconds } from "./record-visibility.js";
import type { HandlerResult } from "./run-handler.js";
import type { JobDeadLetterTarget } from "./run-job-dead-letter.js";

/** A failed attempt, as {@link settleFailure} needs it. */
export interface Failure {
  readonly error: unknown;
  /** The job's policy, or the unknown-job policy for what cannot run yet. */
  readonly policy: RetryPolicy;
  /** Time in the handler, if it ran and was timed. */
  readonly durationMs?: number | undefined;
  /** The dead-letter reason when attempts run out; default `retry-exhausted`. */
  readonly exhaustedReason?: DeadLetterReason;
  /** The handler of a given-up record, still running. */
  readonly stillRunning?: Promise<HandlerResult>;
  /** For the error text when the envelope was not turned into an execution. */
  readonly jobName?: string;
  /** The final error when attempts run out; default a RetryExhaustedError around `error`. */
  readonly exhaustedError?: (error: unknown) => unknown;
  /** The job whose `onDeadLetter` runs if this failure dead-letters the record. */
  readonly deadLetterTarget?: JobDeadLetterTarget;
}

/**
 * Settles a failed attempt: retry through visibility while attempts remain, else dead-letter
 * (or discard with `dead: false`). Fires `onJobFailed` once when the envelope was read.
 */
export async function settleFailure(run: RecordRun, failure: Failure): Promise<JobOutcome> {
  const { rt, invocation, message, execution, ctx } = run;
  const { error, durationMs } = failure;
  const logger = ctx?.logger ?? rt.logger;
  const decision = decide(run, failure);
  if (decision.retry) {
    const delaySeconds = Math.min(decision.delaySeconds, visibilityCapSeconds(run));
    logger.warn({ err: error, retryDelaySeconds: delaySeconds }, "job failed; will retry");
    rt.ledger.failed(message.messageId);
    if (failure.stillRunning && invocation.holdWhileRunning) {
      const completed = failure.stillRunning.then((result) => {
        if (result !== undefined) return false;
        rt.ledger.forget(message.messageId);
        return true;
      });
      invocation.holdWhileRunning(message.messageId, completed, delaySeconds);
    } else {
      await setRecordVisibility(run, delaySeconds);
    }
    if (execution && ctx) {
      await afterHooks(rt, invocation.deadline, "onJobFailed", (h) =>
        h.onJobFailed?.(execution, ctx, {
          error,
          willRetry: true,
          retryDelaySeconds: delaySeconds,
          durationMs,
        }),
      );
    }
    return {
      status: "retry",
      error,
      retryDelaySeconds: delaySeconds,
      ...(durationMs !== undefined && { durationMs }),
    };
  }
  if (execution && ctx) {
    await afterHooks(rt, invocation.deadline, "onJobFailed", (h) =>
      h.onJobFailed?.(execution, ctx, {
        error,
        willRetry: false,
        retryDelaySeconds: undefined,
        durationMs,
      }),
    );
  }
  if (!decision.dead) {
    rt.ledger.forget(message.messageId);
    logger.warn({ err: error }, "job failed and is discarded (no retries left, dead: false)");
    return { status: "discarded", error, ...(durationMs !== undefined && { durationMs }) };
  }
  const permanent = isJobError(error, "PERMANENT");
  const reason = permanent ? "permanent" : (failure.exhaustedReason ?? "retry-exhausted");
  const finalError = permanent
    ? error
    : (failure.exhaustedError?.(error) ??
      new RetryExhaustedError(
        run.envelope?.name ?? failure.jobName ?? "(unknown)",
        run.attempt,
        error,
        {
          receives: message.receiveCount,
          knownFailures: run.history.failures + 1,
        },
      ));
  logger.error({ err: finalError }, "job failed for good; moving it to the dead-letter queue");
  const outcome = await deadLetterRecord(run, reason, finalError, failure.deadLetterTarget);
  return durationMs === undefined ? outcome : { ...outcome, durationMs };
}

// A retry policy is user code (a backoff function): when it throws, the record still gets an
// outcome — the default backoff — instead of coming back on every receive without one.
function decide(run: RecordRun, failure: Failure): RetryDecision {
  const { rt } = run;
  try {
    return decideRetry(failure.policy, run.attempt, failure.error, rt.random);
  } catch (culprit) {
    rt.logger.error(
      { err: culprit, jobName: run.envelope?.name, messageId: run.message.messageId },
      "the job's retry backoff function threw; retrying with the default backoff",
    );
    return decideRetry({ ...failure.policy, backoff: {} }, run.attempt, failure.error, rt.random);
  }
}
