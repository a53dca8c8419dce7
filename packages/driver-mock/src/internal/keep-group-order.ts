import {
  isJobError,
  type OutgoingMessage,
  QueueDriverError,
  type SendResult,
} from "@glasswork/core";
import { isFifoQueue } from "./is-fifo-queue.js";

/**
 * Like `SQSQueueDriver`: one `send` call is one request, whose other entries are stored when one
 * fails. A failed FIFO message with a later message of its group stored behind it cannot be
 * re-sent without reordering the group, so it is reported failed for good. Changes `results`.
 */
export function keepGroupOrder(messages: readonly OutgoingMessage[], results: SendResult[]): void {
  messages.forEach((message, i) => {
    const result = results[i];
    if (!result || result.ok || !result.retryable || !isFifoQueue(message.queue)) return;
    const overtaken = messages.some(
      (later, j) =>
        j > i &&
        later.queue === message.queue &&
        later.groupId === message.groupId &&
        results[j]?.ok,
    );
    if (!overtaken) return;
    const detail = isJobError(result.error, "QUEUE_DRIVER")
      ? (result.error as QueueDriverError).detail
      : result.error.message;
    results[i] = {
      ok: false,
      retryable: false,
      error: new QueueDriverError(
        message.queue,
        "send",
        `not re-sent: later messages of FIFO group "${message.groupId}" in the same request were accepted, so sending this one again would deliver it after them (${detail})`,
        { cause: result.error },
      ),
    };
  });
}
