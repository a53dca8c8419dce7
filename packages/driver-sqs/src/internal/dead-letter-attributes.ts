import {
  DEAD_LETTER_ATTRIBUTES,
  type DeadLetterDetails,
  type ReceivedMessage,
} from "@glasswork/core";
import {
  measureMessageBytes,
  toAcceptedText,
  truncateDeadLetterError,
} from "@glasswork/core/internal";

// SQS refuses messages with more than 10 message attributes.
const MAX_MESSAGE_ATTRIBUTES = 10;

/**
 * The attributes of a dead-lettered copy: the original message's attributes plus the
 * `DEAD_LETTER_ATTRIBUTES` (reason, error, attempt, source queue). The error is truncated, since
 * it counts against the message size limit; when SQS's 10-attribute limit would be exceeded, the
 * dead-letter details win over the original's last attributes. When the copy would exceed
 * `maxBytes`, details are dropped (the error first, the reason last, the original's own attributes never in
 * practice) so that the message still
 * reaches the dead-letter queue.
 */
export function deadLetterAttributes(
  message: ReceivedMessage,
  details: DeadLetterDetails,
  maxBytes = Number.POSITIVE_INFINITY,
): Record<string, string> {
  const added: Record<string, string> = {
    [DEAD_LETTER_ATTRIBUTES.reason]: details.reason,
    [DEAD_LETTER_ATTRIBUTES.attempt]: String(details.attempt),
    [DEAD_LETTER_ATTRIBUTES.sourceQueue]: message.queue,
  };
  // SQS rejects empty attribute values, so an empty error is left out.
  // Error text is free text (terminal colours, NULs from a binary response): SQS would refuse
  // the whole copy for one such character, and the move would fail on every attempt.
  const error = details.error ? toAcceptedText(details.error) : "";
  if (error) added[DEAD_LETTER_ATTRIBUTES.error] = truncateDeadLetterError(error);
  const original = Object.entries(message.attributes)
    .filter(([name]) => !(name in added))
    .slice(0, MAX_MESSAGE_ATTRIBUTES - Object.keys(added).length);
  const attributes: Record<string, string> = { ...Object.fromEntries(original), ...added };
  const dropOrder = [
    DEAD_LETTER_ATTRIBUTES.error,
    DEAD_LETTER_ATTRIBUTES.sourceQueue,
    DEAD_LETTER_ATTRIBUTES.attempt,
    DEAD_LETTER_ATTRIBUTES.reason,
    // The original fitted with its own attributes, so these are never reached in practice:
    // they carry the job name and the signature a redrive needs.
    ...original.map(([name]) => name),
  ];
  for (const name of dropOrder) {
    if (measureMessageBytes(message.body, attributes) <= maxBytes) break;
    delete attributes[name];
  }
  return attributes;
}
