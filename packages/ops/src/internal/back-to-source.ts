import {
  DEAD_LETTER_ATTRIBUTES,
  type OutgoingMessage,
  type ReceivedMessage,
} from "@glasswork/core";

/**
 * Set on every message a redrive sends back, with that redrive's id. Dead-letter copies keep
 * the original's attributes (the worker's and SQS's redrive policy alike), so a redriven job
 * that fails again comes back to the dead-letter queue carrying it, and the redrive that sent
 * it recognises it without guessing from job ids or clocks.
 */
export const REDRIVE_RUN_ATTRIBUTE = "glasswork.redrive.run";

const DEAD_LETTER_NAMES = new Set<string>([
  ...Object.values(DEAD_LETTER_ATTRIBUTES),
  REDRIVE_RUN_ATTRIBUTE,
]);

/**
 * The message that puts a dead letter back on its queue: the original body and attributes, less
 * the dead-letter details, plus the redrive's id. FIFO copies keep their group, with a deduplication id of their own
 * so that SQS does not drop them as a repeat of the original.
 */
export function backToSource(
  queue: string,
  message: ReceivedMessage,
  runId: string,
): OutgoingMessage {
  const attributes = {
    ...Object.fromEntries(
      Object.entries(message.attributes).filter(([name]) => !DEAD_LETTER_NAMES.has(name)),
    ),
    [REDRIVE_RUN_ATTRIBUTE]: runId,
  };
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
