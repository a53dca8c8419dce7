import { type OutgoingMessage, QueueDriverError } from "@glasswork/core";
import { findRefusedCharacter } from "@glasswork/core/internal";
import type { PendingMessage } from "./pending-message.js";

/** SQS's longest per-message delay, in seconds. */
export const SQS_MAX_DELAY_SECONDS = 900;

/**
 * Why a message cannot be sent to the queue, found before any request: a delay on a FIFO queue
 * or out of 0–900, characters SQS refuses, a size over `maxMessageBytes`. Local servers accept
 * some of these, so the driver checks them itself. Never retryable.
 */
export function checkOutgoingMessage(
  queue: string,
  pending: PendingMessage,
  fifo: boolean,
  maxMessageBytes: number,
): QueueDriverError | undefined {
  const { delaySeconds = 0 } = pending.message;
  const problem = (message: string) => new QueueDriverError(queue, "send", message);
  if (fifo && delaySeconds > 0) {
    return problem(
      `FIFO queues do not support per-message delay (delaySeconds ${delaySeconds}) — use enqueueIn with a standard queue, or set a delay on the FIFO queue itself (its DelaySeconds attribute)`,
    );
  }
  if (!Number.isInteger(delaySeconds) || delaySeconds < 0 || delaySeconds > SQS_MAX_DELAY_SECONDS) {
    return problem(
      `delaySeconds must be a whole number from 0 to ${SQS_MAX_DELAY_SECONDS}, got ${delaySeconds}`,
    );
  }
  const refused = refusedCharacterOf(pending.message);
  if (refused) return problem(refused);
  if (pending.size > maxMessageBytes) {
    return problem(
      `the message is ${pending.size} bytes, over the driver's maxMessageBytes of ${maxMessageBytes} — pass IDs instead of data`,
    );
  }
  return undefined;
}

// fauxqs refuses these in bodies only; SQS everywhere.
function refusedCharacterOf(message: OutgoingMessage): string | undefined {
  const inBody = findRefusedCharacter(message.body);
  if (inBody) {
    return `InvalidMessageContents: the body holds ${inBody.codePoint} at index ${inBody.index}, which SQS refuses`;
  }
  for (const [name, value] of Object.entries(message.attributes)) {
    const refused = findRefusedCharacter(value);
    if (refused) {
      return `InvalidMessageContents: the message attribute "${name}" holds ${refused.codePoint} at index ${refused.index}, which SQS refuses`;
    }
  }
  return undefined;
}
