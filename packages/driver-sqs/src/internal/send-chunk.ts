import type { SendMessageBatchRequestEntry } from "@aws-sdk/client-sqs";
import {
  isJobError,
  type OutgoingMessage,
  QueueDriverError,
  type SendResult,
} from "@glasswork/core";
import { toSqsAttributes } from "./message-attributes.js";
import { failed, type PendingMessage } from "./pending-message.js";
import type { SqsConnection } from "./sqs-connection.js";
import { entryFailureToError, type FailureContext, toQueueDriverError } from "./sqs-errors.js";

/** Where one request of a `send` goes. */
export interface ChunkTarget {
  readonly sqs: SqsConnection;
  /** The queue as the caller named it. */
  readonly queue: string;
  readonly url: string;
  readonly fifo: boolean;
}

/**
 * Sends one request: `SendMessage` for one message, `SendMessageBatch` for more. Resolves with
 * one result per message of the chunk, in its order; never rejects.
 */
export async function sendChunk(
  target: ChunkTarget,
  chunk: readonly PendingMessage[],
): Promise<SendResult[]> {
  const { queue, url, fifo } = target;
  const context: FailureContext = { queue, operation: "send", action: "sqs:SendMessage" };
  try {
    const { sdk, client } = await target.sqs.ready();
    const [only] = chunk;
    if (only && chunk.length === 1) {
      const { MessageId } = await client.send(
        new sdk.SendMessageCommand({ QueueUrl: url, ...sendEntry(only.message, fifo) }),
      );
      return [
        MessageId
          ? { ok: true, messageId: MessageId }
          : failed(new QueueDriverError(queue, "send", "SQS returned no message id")),
      ];
    }
    const { Successful = [], Failed = [] } = await client.send(
      new sdk.SendMessageBatchCommand({
        QueueUrl: url,
        Entries: chunk.map((p, i) => ({ Id: String(i), ...sendEntry(p.message, fifo) })),
      }),
    );
    const results = new Array<SendResult | undefined>(chunk.length);
    for (const entry of Successful) {
      if (entry.MessageId) results[Number(entry.Id)] = { ok: true, messageId: entry.MessageId };
    }
    for (const entry of Failed)
      results[Number(entry.Id)] = failed(entryFailureToError(entry, context));
    const answered = chunk.map(
      (_, i): SendResult =>
        results[i] ??
        // Unknown whether it was sent: at-least-once delivery makes a resend the safer side.
        failed(
          new QueueDriverError(queue, "send", "SQS returned no result for this message", {
            retryable: true,
          }),
        ),
    );
    return fifo ? keepGroupOrder(queue, chunk, answered) : answered;
  } catch (error) {
    const failure = failed(toQueueDriverError(error, context));
    return chunk.map(() => failure);
  }
}

// SQS stores the other entries of a request when one fails, so a later message of the same
// FIFO group may already be in the queue: re-sending the failed one would deliver it after them.
// It is reported failed for good instead, so the caller knows, and the group is never reordered.
function keepGroupOrder(
  queue: string,
  chunk: readonly PendingMessage[],
  results: readonly SendResult[],
): SendResult[] {
  return results.map((result, i) => {
    if (result.ok || !result.retryable) return result;
    const { groupId } = chunk[i]?.message ?? {};
    const overtaken = chunk.some(
      (later, j) => j > i && later.message.groupId === groupId && results[j]?.ok,
    );
    if (!overtaken) return result;
    const detail = isJobError(result.error, "QUEUE_DRIVER")
      ? (result.error as QueueDriverError).detail
      : result.error.message;
    return failed(
      new QueueDriverError(
        queue,
        "send",
        `not re-sent: later messages of FIFO group "${groupId}" in the same request were accepted, so sending this one again would deliver it after them (${detail})`,
        { cause: result.error },
      ),
    );
  });
}

// The FIFO fields are dropped on standard queues: there a MessageGroupId would opt the
// message into fair-queue semantics, which jobs did not ask for.
function sendEntry(
  message: OutgoingMessage,
  fifo: boolean,
): Omit<SendMessageBatchRequestEntry, "Id"> {
  return {
    MessageBody: message.body,
    MessageAttributes: toSqsAttributes(message.attributes),
    ...(!fifo &&
      message.delaySeconds !== undefined &&
      message.delaySeconds > 0 && {
        DelaySeconds: message.delaySeconds,
      }),
    ...(fifo && message.groupId !== undefined && { MessageGroupId: message.groupId }),
    ...(fifo &&
      message.deduplicationId !== undefined && {
        MessageDeduplicationId: message.deduplicationId,
      }),
  };
}
