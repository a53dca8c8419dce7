import {
  DEAD_LETTER_ATTRIBUTES,
  type DeadLetterReason,
  decodeEnvelope,
  type ReceivedMessage,
} from "@glasswork/core";
import { fingerprintOf, normaliseErrorMessage } from "./fingerprint.js";

/** A message in a dead-letter queue, with why it is there. */
export interface DeadLetter {
  readonly messageId: string;
  /** The queue it was dead-lettered from, when the message says so. */
  readonly sourceQueue: string | undefined;
  /**
   * Why it is there. `"max-receive-count"` when the queue's own redrive policy moved it (SQS
   * adds no details of ours then: the reason is inferred from their absence).
   */
  readonly reason: DeadLetterReason | undefined;
  /** The last error's message (already redacted and capped by the worker). */
  readonly error: string | undefined;
  /** The attempt on which the worker dead-lettered it; absent for redrive-policy moves. */
  readonly attempt: number | undefined;
  /** How many times the message has been received, in its queue and in the dead-letter queue. */
  readonly receiveCount: number;
  /** Job name + reason + normalised error: dead letters that failed the same way share it. */
  readonly fingerprint: string;
  /** From the envelope, when the body is one. */
  readonly jobName: string | undefined;
  readonly jobId: string | undefined;
  readonly payload: unknown;
  readonly enqueuedAt: string | undefined;
  /** When the dead-lettered copy was sent (for redrive-policy moves: when the original was). */
  readonly deadLetteredAt: Date;
  readonly body: string;
  /** Every message attribute, the `glasswork.dlq.*` details included. */
  readonly attributes: Readonly<Record<string, string>>;
}

/**
 * Reads a received dead-letter queue message into a {@link DeadLetter}. Bodies that are not
 * envelopes (the reason they are there, often) still describe: job fields are then undefined.
 */
export function describeDeadLetter(message: ReceivedMessage): DeadLetter {
  const decoded = decodeEnvelope(message.body);
  const envelope = decoded.ok ? decoded.envelope : undefined;
  const attributes = message.attributes;
  const ours = attributes[DEAD_LETTER_ATTRIBUTES.reason] !== undefined;
  const reason = ours
    ? (attributes[DEAD_LETTER_ATTRIBUTES.reason] as DeadLetterReason)
    : "max-receive-count";
  const error = ours
    ? attributes[DEAD_LETTER_ATTRIBUTES.error]
    : `moved by the queue's redrive policy after maxReceiveCount receives (received ${message.receiveCount} times, receives of the dead-letter queue included)`;
  const attempt = attributes[DEAD_LETTER_ATTRIBUTES.attempt];
  return {
    messageId: message.messageId,
    sourceQueue: attributes[DEAD_LETTER_ATTRIBUTES.sourceQueue],
    reason,
    error,
    attempt: attempt === undefined ? undefined : Number(attempt),
    receiveCount: message.receiveCount,
    fingerprint: fingerprintOf({
      jobName: envelope?.name,
      reason,
      // The count in the inferred text varies per message; the failure does not.
      error: ours ? error : "max-receive-count",
    }),
    jobName: envelope?.name,
    jobId: envelope?.id,
    payload: envelope?.payload,
    enqueuedAt: envelope?.enqueuedAt,
    deadLetteredAt: new Date(message.sentTimestamp),
    body: message.body,
    attributes,
  };
}

/** The error text of a dead letter as its fingerprint sees it. */
export function normalisedError(letter: DeadLetter): string {
  return normaliseErrorMessage(letter.error ?? "");
}
