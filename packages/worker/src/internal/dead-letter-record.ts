import type { JobOutcome } from "@glasswork/core";
import {
  type DeadLetterReason,
  isJobError,
  type Logger,
  QueueDriverError,
  type ReceivedMessage,
} from "@glasswork/core";
import { OUT_OF_TIME } from "./deadline.js";
import { errorText } from "./error-text.js";
import { afterHooks } from "./lifecycle-hooks.js";
import type { RecordRun } from "./record-run.js";
import { type JobDeadLetterTarget, runJobDeadLetter } from "./run-job-dead-letter.js";

/**
 * Moves the record to its queue's dead-letter queue with the reason and the error's text, then
 * fires `onJobDeadLetter`, then the job's own `onDeadLetter` (given a `target`). When the move fails the record is deferred: it stays in its queue and
 * dead-lettering is tried again on its next receive.
 */
export async function deadLetterRecord(
  run: RecordRun,
  reason: DeadLetterReason,
  error: unknown,
  target?: JobDeadLetterTarget,
  decidedAttempt?: number,
): Promise<JobOutcome> {
  const { rt, invocation, message, execution } = run;
  const logger = run.ctx?.logger ?? recordLogger(rt.logger, message);
  const attempt = decidedAttempt ?? (run.envelope ? run.attempt : message.receiveCount);
  try {
    const move = async () => {
      await invocation.settle(message.messageId);
      await rt.driver.moveToDeadLetter(message, { reason, error: errorText(error), attempt });
    };
    // Out of time is a failed move: the record is reported failed and comes back. Safe: if the
    // move still lands, the original is gone and the report changes nothing; if only its send
    // did, the worst is a second copy in the dead-letter queue, never a lost message.
    if ((await invocation.deadline.within(move())) === OUT_OF_TIME) {
      throw new QueueDriverError(
        message.queue,
        "moveToDeadLetter",
        "the move to the dead-letter queue did not answer before the invocation's deadline",
      );
    }
  } catch (moveError) {
    // Nothing is lost: the message stays in its queue and comes back after its visibility timeout.
    // This instance remembers the decision, so that the next receive here retries the move
    // rather than the job; another instance that receives it runs the job again (the limit).
    rt.ledger.deadLetterPending(message.messageId, {
      reason,
      error,
      attempt,
      envelope: run.envelope,
      execution,
      target,
    });
    const missing = isJobError(moveError, "NO_DEAD_LETTER_QUEUE");
    logger.error(
      { err: moveError, reason, cause: errorText(error) },
      missing
        ? "COULD NOT DEAD-LETTER the message: its queue has no dead-letter queue. It stays in its queue and will be received again. Configure a dead-letter queue."
        : "could not dead-letter the message; it stays in its queue and dead-lettering is tried again on its next receive",
    );
    return { status: "deferred", error: moveError, deadLetterReason: reason };
  }
  rt.ledger.forget(message.messageId);
  if (rt.hooks.length > 0) {
    // A frozen copy: on the poller's direct path `message` is the very object the poller deletes
    // and extends with, so a hook's write to it must not reach it (on Lambda it was a copy).
    const seen = Object.freeze({
      ...message,
      attributes: Object.freeze({ ...message.attributes }),
    });
    await afterHooks(rt, invocation.deadline, "onJobDeadLetter", (h) =>
      h.onJobDeadLetter?.({ execution, message: seen, reason, error }),
    );
  }
  if (target) await runJobDeadLetter(run, target, reason, error);
  return { status: "dead_letter", error, deadLetterReason: reason };
}

// The logger's child() may itself be what failed (see recover-record): fall back to the parent.
function recordLogger(logger: Logger, message: ReceivedMessage): Logger {
  try {
    return logger.child({ messageId: message.messageId, queue: message.queue });
  } catch {
    return logger;
  }
}
