import { type OutgoingMessage, QueueDriverError, type SendResult } from "@glasswork/core";

/** A message of a `send` call, with its place in the call and its size as SQS counts it. */
export interface PendingMessage {
  readonly index: number;
  readonly message: OutgoingMessage;
  readonly size: number;
}

/** The failed result of a message, retryable when the error is. */
export function failed(error: QueueDriverError): SendResult {
  return { ok: false, error, retryable: error.retryable };
}

/** The result of a FIFO message held back behind an earlier failed message of its group. */
export function heldBack(queue: string, pending: PendingMessage): SendResult {
  return failed(
    new QueueDriverError(
      queue,
      "send",
      `not sent: an earlier message of FIFO group "${pending.message.groupId}" failed in this call`,
      { retryable: true },
    ),
  );
}
