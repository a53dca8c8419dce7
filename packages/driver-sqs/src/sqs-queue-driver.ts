import {
  ChangeMessageVisibilityCommand,
  DeleteMessageBatchCommand,
  DeleteMessageCommand,
  GetQueueAttributesCommand,
  ReceiveMessageCommand,
  SendMessageBatchCommand,
  type SendMessageBatchRequestEntry,
  SendMessageCommand,
  SQSClient,
  type SQSClientConfig,
} from "@aws-sdk/client-sqs";
import {
  DEFAULT_MAX_MESSAGE_BYTES,
  type DeadLetterDetails,
  findRefusedCharacter,
  isJobError,
  MAX_MESSAGE_BYTES,
  MAX_VISIBILITY_TIMEOUT_SECONDS,
  measureMessageBytes,
  NoDeadLetterQueueError,
  type OutgoingMessage,
  type QueueDriver,
  QueueDriverError,
  type QueueInfo,
  type QueueStats,
  type ReceivedMessage,
  type ReceiveOptions,
  type SendResult,
} from "@glasswork/core";
import { chunkBatches } from "./batch-chunks.js";
import { deadLetterAttributes } from "./dead-letter-attributes.js";
import { DeadLetterQueues } from "./dead-letter-queues.js";
import { mapWithConcurrency } from "./internal/map-with-concurrency.js";
import { toSqsAttributes } from "./message-attributes.js";
import { isFifoQueueName, isQueueUrl, queueNameFromUrl } from "./queue-names.js";
import { QueueResolver } from "./queue-resolver.js";
import { RECEIVE_SYSTEM_ATTRIBUTES, toReceivedMessage } from "./received-message.js";
import {
  entryFailureToError,
  type FailureContext,
  isAbortError,
  toQueueDriverError,
} from "./sqs-errors.js";

function heldBack(queue: string, p: Pending): SendResult {
  const error = new QueueDriverError(
    queue,
    "send",
    `not sent: an earlier message of FIFO group "${p.message.groupId}" failed in this call`,
    { retryable: true },
  );
  return { ok: false, error, retryable: true };
}

/** SQS's longest per-message delay, in seconds. */
export const SQS_MAX_DELAY_SECONDS = 900;
/** SQS's most entries in one batch request. */
export const SQS_MAX_BATCH_ENTRIES = 10;
/** Default number of batch requests `send` keeps in flight. */
export const DEFAULT_SEND_CONCURRENCY = 10;

/** Options of {@link SQSQueueDriver}. */
export interface SQSQueueDriverOptions {
  /**
   * Logical queue name → queue URL. Names not listed here are taken as physical queue names
   * and looked up once with `GetQueueUrl`.
   */
  readonly queues?: Readonly<Record<string, string>>;
  /** Your own client. The driver then never destroys it; do not combine with the options below. */
  readonly client?: SQSClient;
  /** AWS region of a client the driver creates. Default: the SDK's (e.g. `AWS_REGION`). */
  readonly region?: string;
  /** Endpoint of a client the driver creates, e.g. a local server (`http://127.0.0.1:9324`). */
  readonly endpoint?: string;
  /** Credentials of a client the driver creates. Default: the SDK's provider chain. */
  readonly credentials?: SQSClientConfig["credentials"];
  /**
   * Largest message (body plus attributes) and largest batch request, in bytes. Default 262,144;
   * at most 1,048,576 for queues whose `MaximumMessageSize` allows it.
   */
  readonly maxMessageBytes?: number;
  /**
   * Source queue → its dead-letter queue (a logical name, physical name or URL). Queues not
   * listed use the dead-letter queue of their `RedrivePolicy`.
   */
  readonly deadLetterQueues?: Readonly<Record<string, string>>;
  /** Batch requests `send` keeps in flight at once. Default 10. */
  readonly concurrency?: number;
}

interface Pending {
  readonly index: number;
  readonly message: OutgoingMessage;
  readonly size: number;
}

/**
 * A `QueueDriver` on Amazon SQS (`@aws-sdk/client-sqs`). It sends in batches of up to 10
 * messages and `maxMessageBytes`, resolves logical names, physical names and URLs to queues,
 * and finds dead-letter queues from the option or from each queue's `RedrivePolicy`.
 *
 * @example
 * const driver = new SQSQueueDriver({
 *   region: "eu-west-1",
 *   queues: { default: "https://sqs.eu-west-1.amazonaws.com/123456789012/my-app-jobs" },
 * });
 * const jobs = new JobService(driver);
 * await jobs.enqueue(sendWelcomeEmail, { userId: "u_1" });
 */
export class SQSQueueDriver implements QueueDriver {
  /** SQS delays messages by at most 15 minutes; `JobService` relays longer delays. */
  readonly maxDelaySeconds = SQS_MAX_DELAY_SECONDS;
  readonly maxMessageBytes: number;
  /** The client the driver sends with. */
  readonly client: SQSClient;
  readonly #ownsClient: boolean;
  readonly #concurrency: number;
  readonly #resolver: QueueResolver;
  readonly #deadLetters: DeadLetterQueues;

  constructor(options: SQSQueueDriverOptions = {}) {
    const { client, region, endpoint, credentials } = options;
    if (client && (region !== undefined || endpoint !== undefined || credentials !== undefined)) {
      throw new TypeError(
        "SQSQueueDriver: pass either client or region/endpoint/credentials, not both: configure your own client instead",
      );
    }
    const maxMessageBytes = options.maxMessageBytes ?? DEFAULT_MAX_MESSAGE_BYTES;
    if (
      !Number.isInteger(maxMessageBytes) ||
      maxMessageBytes < 1_024 ||
      maxMessageBytes > MAX_MESSAGE_BYTES
    ) {
      throw new RangeError(
        `SQSQueueDriver: maxMessageBytes must be an integer from 1024 to ${MAX_MESSAGE_BYTES}, got ${maxMessageBytes}`,
      );
    }
    const concurrency = options.concurrency ?? DEFAULT_SEND_CONCURRENCY;
    if (!Number.isInteger(concurrency) || concurrency < 1) {
      throw new RangeError(
        `SQSQueueDriver: concurrency must be a positive integer, got ${concurrency}`,
      );
    }
    for (const [name, url] of Object.entries(options.queues ?? {})) {
      if (!isQueueUrl(url)) {
        throw new TypeError(
          `SQSQueueDriver: queues.${name} must be a queue URL (https://sqs.<region>.amazonaws.com/<account>/<name>), got ${JSON.stringify(url)}`,
        );
      }
    }
    this.maxMessageBytes = maxMessageBytes;
    this.#concurrency = concurrency;
    this.#ownsClient = client === undefined;
    this.client =
      client ??
      new SQSClient({
        ...(region !== undefined && { region }),
        ...(endpoint !== undefined && { endpoint }),
        ...(credentials !== undefined && { credentials }),
      });
    this.#resolver = new QueueResolver(this.client, options.queues);
    this.#deadLetters = new DeadLetterQueues(this.client, this.#resolver, options.deadLetterQueues);
  }

  /**
   * Sends messages with `SendMessage` (one) or `SendMessageBatch` (many, grouped by queue, at
   * most 10 and `maxMessageBytes` per request), `concurrency` requests at a time. A FIFO
   * queue's batches go one after the other, so that a message group keeps its order. Resolves
   * with one result per message, in order; failures SQS may accept later are `retryable`.
   */
  async send(messages: readonly OutgoingMessage[]): Promise<SendResult[]> {
    const results = new Array<SendResult>(messages.length);
    const byQueue = new Map<string, Pending[]>();
    messages.forEach((message, index) => {
      const pending = {
        index,
        message,
        size: measureMessageBytes(message.body, message.attributes),
      };
      const group = byQueue.get(message.queue);
      if (group) group.push(pending);
      else byQueue.set(message.queue, [pending]);
    });

    const lanes: (() => Promise<void>)[] = [];
    await Promise.all(
      [...byQueue].map(async ([queue, pending]) => {
        let url: string;
        try {
          url = await this.#resolver.resolve(queue, "send");
        } catch (error) {
          const failure = toQueueDriverError(error, sendContext(queue));
          for (const p of pending) results[p.index] = failed(failure);
          return;
        }
        const fifo = isFifoQueueName(queueNameFromUrl(url));
        const sendable = pending.filter((p) => {
          const problem = this.#checkMessage(queue, p, fifo);
          if (problem) results[p.index] = failed(problem);
          return !problem;
        });
        const chunks = chunkBatches(sendable, (p) => p.size, {
          maxEntries: SQS_MAX_BATCH_ENTRIES,
          maxBytes: this.maxMessageBytes,
        });
        const sendChunk = (chunk: Pending[]) => this.#sendChunk(queue, url, fifo, chunk, results);
        if (fifo) {
          lanes.push(async () => {
            // Once a message of a group fails, the group's later messages are held back (failed,
            // retryable) so that a retry re-sends them after it, in their order.
            const stopped = new Set<string | undefined>();
            for (const chunk of chunks) {
              const go = chunk.filter((p) => !stopped.has(p.message.groupId));
              for (const p of chunk) if (!go.includes(p)) results[p.index] = heldBack(queue, p);
              if (go.length > 0) await sendChunk(go);
              for (const p of go) if (!results[p.index]?.ok) stopped.add(p.message.groupId);
            }
          });
        } else {
          for (const chunk of chunks) lanes.push(() => sendChunk(chunk));
        }
      }),
    );
    await mapWithConcurrency(lanes, this.#concurrency, (lane) => lane());
    return results;
  }

  /** Receives up to `maxMessages` messages (long polling for `waitTimeSeconds`). */
  async receive(queue: string, options: ReceiveOptions = {}): Promise<ReceivedMessage[]> {
    const { signal } = options;
    if (signal?.aborted) return [];
    const context: FailureContext = { queue, operation: "receive", action: "sqs:ReceiveMessage" };
    try {
      const url = await this.#resolver.resolve(queue, "receive");
      const { Messages = [] } = await this.client.send(
        new ReceiveMessageCommand({
          QueueUrl: url,
          MaxNumberOfMessages: options.maxMessages ?? 10,
          WaitTimeSeconds: options.waitTimeSeconds ?? 0,
          ...(options.visibilityTimeoutSeconds !== undefined && {
            VisibilityTimeout: clampVisibility(options.visibilityTimeoutSeconds),
          }),
          MessageAttributeNames: ["All"],
          MessageSystemAttributeNames: [...RECEIVE_SYSTEM_ATTRIBUTES],
        }),
        signal ? { abortSignal: signal } : {},
      );
      return Messages.map((message) => toReceivedMessage(queue, message));
    } catch (error) {
      if (signal?.aborted || isAbortError(error)) return [];
      throw toQueueDriverError(error, context);
    }
  }

  /**
   * Deletes received messages with `DeleteMessageBatch`, 10 at a time. Rejects with a
   * `QueueDriverError` that lists the messages SQS did not delete.
   */
  async delete(queue: string, receiptHandles: readonly string[]): Promise<void> {
    if (receiptHandles.length === 0) return;
    const context: FailureContext = { queue, operation: "delete", action: "sqs:DeleteMessage" };
    const url = await this.#resolver.resolve(queue, "delete");
    const chunks = chunkBatches(receiptHandles, () => 0, {
      maxEntries: SQS_MAX_BATCH_ENTRIES,
      maxBytes: Number.POSITIVE_INFINITY,
    });
    const failures: { index: number; receiptHandle: string; error: QueueDriverError }[] = [];
    await mapWithConcurrency(chunks, this.#concurrency, async (chunk, c) => {
      const start = c * SQS_MAX_BATCH_ENTRIES;
      try {
        const { Failed = [] } = await this.client.send(
          new DeleteMessageBatchCommand({
            QueueUrl: url,
            Entries: chunk.map((receiptHandle, i) => ({
              Id: String(i),
              ReceiptHandle: receiptHandle,
            })),
          }),
        );
        for (const entry of Failed) {
          const i = Number(entry.Id);
          failures.push({
            index: start + i,
            receiptHandle: chunk[i] ?? "",
            error: entryFailureToError(entry, context),
          });
        }
      } catch (error) {
        const failure = toQueueDriverError(error, context);
        chunk.forEach((receiptHandle, i) => {
          failures.push({ index: start + i, receiptHandle, error: failure });
        });
      }
    });
    if (failures.length === 0) return;
    failures.sort((a, b) => a.index - b.index);
    const listed = failures
      .slice(0, 10)
      .map((f) => `#${f.index}: ${f.error.detail}`)
      .join("; ");
    const more = failures.length > 10 ? `; and ${failures.length - 10} more` : "";
    throw new QueueDriverError(
      queue,
      "delete",
      `${failures.length} of ${receiptHandles.length} messages were not deleted (${listed}${more})`,
      { cause: failures, retryable: failures.every((f) => f.error.retryable) },
    );
  }

  /** Sets a received message's visibility timeout, capped at SQS's 12 hours. */
  async changeVisibility(
    queue: string,
    receiptHandle: string,
    timeoutSeconds: number,
  ): Promise<void> {
    const context: FailureContext = {
      queue,
      operation: "changeVisibility",
      action: "sqs:ChangeMessageVisibility",
    };
    const url = await this.#resolver.resolve(queue, "changeVisibility");
    try {
      await this.client.send(
        new ChangeMessageVisibilityCommand({
          QueueUrl: url,
          ReceiptHandle: receiptHandle,
          VisibilityTimeout: clampVisibility(timeoutSeconds),
        }),
      );
    } catch (error) {
      throw toQueueDriverError(error, context);
    }
  }

  /**
   * Sends the message's body and attributes, with the dead-letter details, to the dead-letter
   * queue of `message.queue`, then deletes the original. A FIFO dead-letter queue gets the
   * message's group and its message id as deduplication id, so a repeated move is dropped.
   */
  async moveToDeadLetter(message: ReceivedMessage, details: DeadLetterDetails): Promise<void> {
    const operation = "moveToDeadLetter";
    const url = await this.#resolver.resolve(message.queue, operation);
    const deadLetter = await this.#deadLetters.find(message.queue, url, operation);
    if (!deadLetter) throw new NoDeadLetterQueueError(message.queue);
    const fifo = isFifoQueueName(deadLetter.name);
    try {
      await this.client.send(
        new SendMessageCommand({
          QueueUrl: deadLetter.url,
          MessageBody: message.body,
          MessageAttributes: toSqsAttributes(
            deadLetterAttributes(message, details, this.maxMessageBytes),
          ),
          ...(fifo && {
            MessageGroupId: message.groupId ?? "dead-letter",
            MessageDeduplicationId: message.messageId,
          }),
        }),
      );
    } catch (error) {
      throw toQueueDriverError(error, {
        queue: deadLetter.name,
        operation,
        action: "sqs:SendMessage",
      });
    }
    // The copy is in the dead-letter queue: the move has happened. A failed delete is not
    // reported, because the caller then reports the record as done and Lambda (or the poller)
    // deletes it; failing here would make it run again and be dead-lettered twice.
    await this.client
      .send(new DeleteMessageCommand({ QueueUrl: url, ReceiptHandle: message.receiptHandle }))
      .catch(() => undefined);
  }

  /** Whether the queue is FIFO, and its dead-letter queue and `maxReceiveCount`. */
  async queueInfo(queue: string): Promise<QueueInfo> {
    const operation = "queueInfo";
    const url = await this.#resolver.resolve(queue, operation);
    const [policy, deadLetterQueue] = await Promise.all([
      this.#deadLetters.policy(queue, url, operation),
      this.#deadLetters.name(queue, url, operation),
    ]);
    return {
      fifo: isFifoQueueName(queueNameFromUrl(url)),
      deadLetterQueue,
      maxReceiveCount: policy?.maxReceiveCount,
    };
  }

  /** The queue's approximate depth, from `GetQueueAttributes`. */
  async stats(queue: string): Promise<QueueStats> {
    const url = await this.#resolver.resolve(queue, "stats");
    try {
      const { Attributes = {} } = await this.client.send(
        new GetQueueAttributesCommand({
          QueueUrl: url,
          AttributeNames: [
            "ApproximateNumberOfMessages",
            "ApproximateNumberOfMessagesNotVisible",
            "ApproximateNumberOfMessagesDelayed",
          ],
        }),
      );
      return {
        visible: Number(Attributes.ApproximateNumberOfMessages ?? 0),
        inFlight: Number(Attributes.ApproximateNumberOfMessagesNotVisible ?? 0),
        delayed: Number(Attributes.ApproximateNumberOfMessagesDelayed ?? 0),
      };
    } catch (error) {
      throw toQueueDriverError(error, {
        queue,
        operation: "stats",
        action: "sqs:GetQueueAttributes",
      });
    }
  }

  /** Destroys the client if the driver created it; a client you passed in is left open. */
  async dispose(): Promise<void> {
    if (this.#ownsClient) this.client.destroy();
  }

  #checkMessage(queue: string, pending: Pending, fifo: boolean): QueueDriverError | undefined {
    const { delaySeconds = 0 } = pending.message;
    const problem = (message: string) => new QueueDriverError(queue, "send", message);
    if (fifo && delaySeconds > 0) {
      return problem(
        `FIFO queues do not support per-message delay (delaySeconds ${delaySeconds}) — use enqueueIn with a standard queue, or set a delay on the FIFO queue itself (its DelaySeconds attribute)`,
      );
    }
    if (
      !Number.isInteger(delaySeconds) ||
      delaySeconds < 0 ||
      delaySeconds > SQS_MAX_DELAY_SECONDS
    ) {
      return problem(
        `delaySeconds must be a whole number from 0 to ${SQS_MAX_DELAY_SECONDS}, got ${delaySeconds}`,
      );
    }
    const refused = refusedCharacterOf(pending.message);
    if (refused) return problem(refused);
    if (pending.size > this.maxMessageBytes) {
      return problem(
        `the message is ${pending.size} bytes, over the driver's maxMessageBytes of ${this.maxMessageBytes} — pass IDs instead of data`,
      );
    }
    return undefined;
  }

  async #sendChunk(
    queue: string,
    url: string,
    fifo: boolean,
    chunk: readonly Pending[],
    results: SendResult[],
  ): Promise<void> {
    const context = sendContext(queue);
    try {
      const [only] = chunk;
      if (only && chunk.length === 1) {
        const { MessageId } = await this.client.send(
          new SendMessageCommand({ QueueUrl: url, ...sendEntry(only.message, fifo) }),
        );
        results[only.index] = MessageId
          ? { ok: true, messageId: MessageId }
          : failed(new QueueDriverError(queue, "send", "SQS returned no message id"));
        return;
      }
      const { Successful = [], Failed = [] } = await this.client.send(
        new SendMessageBatchCommand({
          QueueUrl: url,
          Entries: chunk.map((p, i) => ({ Id: String(i), ...sendEntry(p.message, fifo) })),
        }),
      );
      for (const entry of Successful) {
        const p = chunk[Number(entry.Id)];
        if (p && entry.MessageId) results[p.index] = { ok: true, messageId: entry.MessageId };
      }
      for (const entry of Failed) {
        const p = chunk[Number(entry.Id)];
        if (p) results[p.index] = failed(entryFailureToError(entry, context));
      }
      for (const p of chunk) {
        // Unknown whether it was sent: at-least-once delivery makes a resend the safer side.
        results[p.index] ??= failed(
          new QueueDriverError(queue, "send", "SQS returned no result for this message", {
            retryable: true,
          }),
        );
      }
      if (fifo) keepGroupOrder(queue, chunk, results);
    } catch (error) {
      const failure = toQueueDriverError(error, context);
      for (const p of chunk) results[p.index] = failed(failure);
    }
  }
}

// SQS stores the other entries of a request when one fails, so a later message of the same
// FIFO group may already be in the queue: re-sending the failed one would deliver it after them.
// It is reported failed for good instead, so the caller knows, and the group is never reordered.
function keepGroupOrder(queue: string, chunk: readonly Pending[], results: SendResult[]): void {
  chunk.forEach((p, i) => {
    const result = results[p.index];
    if (!result || result.ok || !result.retryable) return;
    const { groupId } = p.message;
    const overtaken = chunk
      .slice(i + 1)
      .some((later) => later.message.groupId === groupId && results[later.index]?.ok);
    if (!overtaken) return;
    results[p.index] = failed(
      new QueueDriverError(
        queue,
        "send",
        `not re-sent: later messages of FIFO group "${groupId}" in the same request were accepted, so sending this one again would deliver it after them (${detailOf(result.error)})`,
        { cause: result.error },
      ),
    );
  });
}

// SQS refuses these too (fauxqs only in bodies): checked here so that every server answers alike.
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

function detailOf(error: Error): string {
  return isJobError(error, "QUEUE_DRIVER") ? (error as QueueDriverError).detail : error.message;
}

function sendContext(queue: string): FailureContext {
  return { queue, operation: "send", action: "sqs:SendMessage" };
}

function failed(error: QueueDriverError): SendResult {
  return { ok: false, error, retryable: error.retryable };
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

function clampVisibility(seconds: number): number {
  return Math.min(MAX_VISIBILITY_TIMEOUT_SECONDS, Math.max(0, Math.ceil(seconds)));
}
