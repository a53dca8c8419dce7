import type { OutgoingMessage } from "@glasswork/core";
import { findRefusedCharacter, measureMessageBytes } from "@glasswork/core/internal";
import { isFifoQueue } from "./is-fifo-queue.js";

/** The limits a send is checked against. */
export interface MessageLimits {
  readonly maxMessageBytes: number;
  readonly maxDelaySeconds: number;
}

const MAX_ATTRIBUTES = 10;
// Letters, digits, `-`, `_` and `.`, up to 256, no leading, trailing or double `.`.
const ATTRIBUTE_NAME = /^(?!\.)(?!.*\.\.)(?!.*\.$)[A-Za-z0-9_.-]{1,256}$/;
const RESERVED_PREFIX = /^(aws|amazon)\./i;
const ACCEPTED_CHARACTERS = "#x9 #xA #xD #x20-#xD7FF #xE000-#xFFFD #x10000-#x10FFFF";

/**
 * Why SQS would refuse this message (`InvalidMessageContents`, `InvalidParameterValue`…), or
 * `undefined` when it would take it. Every reason is the sender's fault: not retryable.
 */
export function refusalOf(message: OutgoingMessage, limits: MessageLimits): string | undefined {
  const size = measureMessageBytes(message.body, message.attributes);
  if (size > limits.maxMessageBytes) {
    return `message of ${size} bytes is over the queue's limit of ${limits.maxMessageBytes} bytes`;
  }
  const fifo = isFifoQueue(message.queue);
  const delay = message.delaySeconds ?? 0;
  if (fifo && delay > 0) {
    return "FIFO queues do not support per-message delay (DelaySeconds); use a standard queue for delayed jobs";
  }
  if (delay < 0 || delay > limits.maxDelaySeconds) {
    return `delaySeconds must be 0..${limits.maxDelaySeconds}, got ${delay}`;
  }
  if (fifo && !message.groupId) return "FIFO messages need a group id";
  if (message.body.length === 0) return "the message body is empty";
  const inBody = findRefusedCharacter(message.body);
  if (inBody) {
    return `InvalidMessageContents: the body holds ${inBody.codePoint} at index ${inBody.index}; SQS accepts ${ACCEPTED_CHARACTERS}`;
  }
  return attributesRefusal(message.attributes);
}

function attributesRefusal(attributes: Readonly<Record<string, string>>): string | undefined {
  const entries = Object.entries(attributes);
  if (entries.length > MAX_ATTRIBUTES) {
    return `${entries.length} message attributes, over SQS's limit of ${MAX_ATTRIBUTES}`;
  }
  for (const [name, value] of entries) {
    if (!ATTRIBUTE_NAME.test(name) || RESERVED_PREFIX.test(name)) {
      return `the message attribute name ${JSON.stringify(name)} is not valid: letters, digits, "-", "_" and "." (not first, last or doubled), not starting with "AWS." or "Amazon."`;
    }
    if (value.length === 0) return `the message attribute "${name}" is empty`;
    const refused = findRefusedCharacter(value);
    if (refused) {
      return `InvalidMessageContents: the message attribute "${name}" holds ${refused.codePoint} at index ${refused.index}; SQS accepts ${ACCEPTED_CHARACTERS}`;
    }
  }
  return undefined;
}
