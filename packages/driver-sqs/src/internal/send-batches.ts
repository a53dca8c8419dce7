import type { OutgoingMessage, SendResult } from "@glasswork/core";
import { mapWithConcurrency, measureMessageBytes } from "@glasswork/core/internal";
import { chunkBatches } from "./batch-chunks.js";
import { checkOutgoingMessage } from "./check-outgoing-message.js";
import { failed, heldBack, type PendingMessage } from "./pending-message.js";
import { isFifoQueueName, queueNameFromUrl } from "./queue-names.js";
import type { QueueResolver } from "./queue-resolver.js";
import { type ChunkTarget, sendChunk } from "./send-chunk.js";
import type { SqsConnection } from "./sqs-connection.js";
import { toQueueDriverError } from "./sqs-errors.js";

/** SQS's most entries in one batch request. */
export const SQS_MAX_BATCH_ENTRIES = 10;

/** What {@link sendBatches} sends with. */
export interface SendBatchesContext {
  readonly sqs: SqsConnection;
  readonly resolver: QueueResolver;
  readonly maxMessageBytes: number;
  /** Requests in flight at once. */
  readonly concurrency: number;
}

/** A run of requests that must go one after the other (one FIFO queue), or a single request. */
type Lane = () => Promise<void>;

/**
 * Sends messages in as few requests as SQS allows: grouped by queue, at most 10 entries and
 * `maxMessageBytes` per request, `concurrency` requests at a time. A FIFO queue's requests go
 * one after the other, and once a message of a group fails the group's later messages are held
 * back (failed, retryable), so a retry re-sends them after it, in order. One result per message,
 * in input order; never rejects.
 */
export async function sendBatches(
  context: SendBatchesContext,
  messages: readonly OutgoingMessage[],
): Promise<SendResult[]> {
  const results = new Array<SendResult>(messages.length);
  const settle = (chunk: readonly PendingMessage[], answers: readonly SendResult[]) => {
    chunk.forEach((p, i) => {
      results[p.index] = answers[i] as SendResult;
    });
  };
  const lanes = await Promise.all(
    [...byQueue(messages)].map(([queue, pending]) => lanesOf(context, queue, pending, settle)),
  );
  await mapWithConcurrency(lanes.flat(), context.concurrency, (lane) => lane());
  return results;
}

type Settle = (chunk: readonly PendingMessage[], answers: readonly SendResult[]) => void;

async function lanesOf(
  context: SendBatchesContext,
  queue: string,
  pending: readonly PendingMessage[],
  settle: Settle,
): Promise<Lane[]> {
  let url: string;
  try {
    url = await context.resolver.resolve(queue, "send");
  } catch (error) {
    const failure = failed(
      toQueueDriverError(error, { queue, operation: "send", action: "sqs:SendMessage" }),
    );
    settle(
      pending,
      pending.map(() => failure),
    );
    return [];
  }
  const target: ChunkTarget = {
    sqs: context.sqs,
    queue,
    url,
    fifo: isFifoQueueName(queueNameFromUrl(url)),
  };
  const sendable = pending.filter((p) => {
    const problem = checkOutgoingMessage(queue, p, target.fifo, context.maxMessageBytes);
    if (problem) settle([p], [failed(problem)]);
    return !problem;
  });
  const chunks = chunkBatches(sendable, (p) => p.size, {
    maxEntries: SQS_MAX_BATCH_ENTRIES,
    maxBytes: context.maxMessageBytes,
  });
  if (!target.fifo) {
    return chunks.map((chunk) => async () => settle(chunk, await sendChunk(target, chunk)));
  }
  return [
    async () => {
      const stopped = new Set<string | undefined>();
      for (const chunk of chunks) {
        const go = chunk.filter((p) => !stopped.has(p.message.groupId));
        const waiting = chunk.filter((p) => stopped.has(p.message.groupId));
        settle(
          waiting,
          waiting.map((p) => heldBack(queue, p)),
        );
        if (go.length === 0) continue;
        const answers = await sendChunk(target, go);
        settle(go, answers);
        go.forEach((p, i) => {
          if (!answers[i]?.ok) stopped.add(p.message.groupId);
        });
      }
    },
  ];
}

function byQueue(messages: readonly OutgoingMessage[]): Map<string, PendingMessage[]> {
  const groups = new Map<string, PendingMessage[]>();
  messages.forEach((message, index) => {
    const pending = { index, message, size: measureMessageBytes(message.body, message.attributes) };
    const group = groups.get(message.queue);
    if (group) group.push(pending);
    else groups.set(message.queue, [pending]);
  });
  return groups;
}
