import {
  DEAD_LETTER_ATTRIBUTES,
  type OutgoingMessage,
  type ReceivedMessage,
} from "@glasswork/core";

const DEAD_LETTER_NAMES = new Set<string>(Object.values(DEAD_LETTER_ATTRIBUTES));

/**
 * The message that puts a dead letter back on its queue: the original body and attributes, less
 * the dead-letter details. FIFO copies keep their group, with a deduplication id of their own
 * so that SQS does not drop them as a repeat of the original.
 */
export function backToSource(queue: string, message: ReceivedMessage): OutgoingMessage {
  const attributes = Object.fromEntries(
    Object.entries(message.attributes).filter(([name]) => !DEAD_LETTER_NAMES.has(name)),
  );
  return {
    queue,
    body: message.body,
    attributes,
    ...(message.groupId !== undefined && {
      groupId: message.groupId,
      deduplicationId: `redrive-${message.messageId}`,
    }),
  };
}
