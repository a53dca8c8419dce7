import { type DeadLetterDetails, decodeEnvelope } from "@glasswork/core";
import type { DeadLetterRecord, EnqueuedRecord } from "../mock-records.js";
import type { StoredMessage } from "./simulated-queues.js";

/** What `MockQueueDriver.enqueued` records of a stored message; nothing for a non-envelope body. */
export function toEnqueuedRecord(
  stored: StoredMessage,
  delaySeconds: number,
): EnqueuedRecord | undefined {
  const decoded = decodeEnvelope(stored.body);
  if (!decoded.ok) return undefined;
  const { envelope } = decoded;
  return {
    jobName: envelope.name,
    jobId: envelope.id,
    payload: envelope.payload,
    queue: stored.queue,
    messageId: stored.id,
    delaySeconds,
    runAt: envelope.runAt ? new Date(envelope.runAt) : undefined,
    meta: envelope.meta ?? {},
    body: stored.body,
    sentAt: new Date(stored.sentAt),
  };
}

/** What `MockQueueDriver.deadLetters` records of a move. */
export function toDeadLetterRecord(
  stored: StoredMessage,
  deadLetterQueue: string,
  details: DeadLetterDetails,
): DeadLetterRecord {
  const decoded = decodeEnvelope(stored.body);
  return {
    queue: stored.queue,
    deadLetterQueue,
    reason: details.reason,
    error: details.error,
    attempt: details.attempt,
    body: stored.body,
    jobName: decoded.ok ? decoded.envelope.name : undefined,
    payload: decoded.ok ? decoded.envelope.payload : undefined,
  };
}
