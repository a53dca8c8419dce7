import type { JobOutcome } from "@glasswork/core";
import { deadLetterRecord } from "./dead-letter-record.js";
import { type RecordRun, setRecordContext } from "./record-run.js";
import type { PendingDeadLetter } from "./run-ledger.js";

/**
 * The record's outcome was decided on an earlier receive in this instance — dead-letter — but
 * the move failed: retry the move without running the job (or its schema, or its start hooks)
 * again. `onJobFailed` already fired then; `onJobDeadLetter` and the job's `onDeadLetter` fire
 * once the move succeeds.
 */
export function retryDeadLetter(run: RecordRun, pending: PendingDeadLetter): Promise<JobOutcome> {
  const { rt } = run;
  run.envelope = pending.envelope;
  run.execution = pending.execution;
  // A fresh context (this invocation's deadline and services) for the hooks and onDeadLetter.
  if (pending.envelope) setRecordContext(run, pending.envelope, pending.attempt);
  rt.logger.info(
    { messageId: run.message.messageId, reason: pending.reason, attempt: pending.attempt },
    "retrying the move to the dead-letter queue decided on an earlier receive; the job does not run again",
  );
  return deadLetterRecord(run, pending.reason, pending.error, pending.target, pending.attempt);
}
