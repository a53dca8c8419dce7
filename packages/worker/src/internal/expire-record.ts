import type { JobOutcome } from "@glasswork/core";
import { type AnyJobDefinition, type JobEnvelope, JobExpiredError } from "@glasswork/core";
import { deadLetterRecord } from "./dead-letter-record.js";
import type { RecordRun } from "./record-run.js";

/**
 * The expiry step, after the payload passed the schema and before the handler: a job received
 * at or after its `expiresAt` is not run. It is dead-lettered with reason `expired` (the job's
 * `onDeadLetter` then gets the validated payload), or deleted with `onExpired: "drop"`; either way
 * its age is logged. Returns `undefined` when the job may run.
 */
export function expireRecord(
  run: RecordRun,
  job: AnyJobDefinition,
  envelope: JobEnvelope,
  payload: unknown,
): Promise<JobOutcome> | undefined {
  if (envelope.expiresAt === undefined) return undefined;
  const now = run.rt.now();
  const expiresAt = Date.parse(envelope.expiresAt);
  // An expiresAt that parses to NaN (a 31st of February) never expires the job: run it.
  if (!(now >= expiresAt)) return undefined;
  const ageMs = now - Date.parse(envelope.enqueuedAt);
  const lateMs = now - expiresAt;
  const error = new JobExpiredError(job.name, new Date(expiresAt), ageMs, lateMs);
  const logger = run.ctx?.logger ?? run.rt.logger;
  if (job.onExpired === "drop") {
    logger.warn(
      { err: error, ageMs, lateMs, expiresAt: envelope.expiresAt },
      "job expired before it ran; dropped (onExpired: drop)",
    );
    run.rt.ledger.forget(run.message.messageId);
    return Promise.resolve({ status: "discarded", error });
  }
  logger.warn(
    { err: error, ageMs, lateMs, expiresAt: envelope.expiresAt },
    "job expired before it ran; moving it to the dead-letter queue",
  );
  return deadLetterRecord(run, "expired", error, { job, payload, payloadValid: true });
}
