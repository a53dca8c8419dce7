import type { SQSClient } from "@aws-sdk/client-sqs";
import {
  type DeadLetterDetails,
  NoDeadLetterQueueError,
  type OutgoingMessage,
  type QueueDriver,
  type QueueInfo,
  type QueueStats,
  type ReceivedMessage,
  type ReceiveOptions,
  type SendResult,
} from "@glasswork/core";
import { SQS_MAX_DELAY_SECONDS } from "./internal/check-outgoing-message.js";
import { clampVisibility } from "./internal/clamp-visibility.js";
import { deadLetterAttributes } from "./internal/dead-letter-attributes.js";
import { DeadLetterQueues } from "./internal/dead-letter-queues.js";
import { deleteBatches } from "./internal/delete-batches.js";
import { toSqsAttributes } from "./internal/message-attributes.js";
import { isFifoQueueName, queueNameFromUrl } from "./internal/queue-names.js";
import { QueueResolver } from "./internal/queue-resolver.js";
import { QueueSettingsCache } from "./internal/queue-settings.js";
import { RECEIVE_SYSTEM_ATTRIBUTES, toReceivedMessage } from "./internal/received-message.js";
import { resolveDriverOptions } from "./internal/resolve-driver-options.js";
import { sendBatches } from "./internal/send-batches.js";
import type { SqsConnection } from "./internal/sqs-connection.js";
import { type FailureContext, isAbortError, toQueueDriverError } from "./internal/sqs-errors.js";
import type { SQSQueueDriverOptions } from "./sqs-queue-driver-options.js";

/**
 * A `QueueDriver` on Amazon SQS (`@aws-sdk/client-sqs`). It sends in batches of up to 10
 * messages and `maxMessageBytes`, resolves logical names, physical names and URLs to queues,
 * and finds dead-letter queues from the option or from each queue's `RedrivePolicy`. It imports
 * the SDK and makes its client on the first request, so that a worker whose jobs all succeed
 * never loads it (read the client with {@link SQSQueueDriver.getClient}).
 *
 * @example
 * // given: JobService, sendWelcomeEmail
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
  readonly #sqs: SqsConnection;
  readonly #concurrency: number;
  readonly #resolver: QueueResolver;
  readonly #settings: QueueSettingsCache;
  readonly #deadLetters: DeadLetterQueues;

  constructor(options: SQSQueueDriverOptions = {}) {
    const resolved = resolveDriverOptions(options);
    this.#sqs = resolved.sqs;
    this.maxMessageBytes = resolved.maxMessageBytes;
    this.#concurrency = resolved.concurrency;
    this.#resolver = new QueueResolver(this.#sqs, options.queues);
    this.#settings = new QueueSettingsCache(this.#sqs);
    this.#deadLetters = new DeadLetterQueues(
      this.#settings,
      this.#resolver,
      options.deadLetterQueues,
    );
  }

  /**
   * Sends messages with `SendMessage` (one) or `SendMessageBatch` (many, grouped by queue, at
   * most 10 and `maxMessageBytes` per request), `concurrency` requests at a time. A FIFO
   * queue's batches go one after the other, so that a message group keeps its order. Resolves
   * with one result per message, in order; failures SQS may accept later are `retryable`.
   */
  async send(messages: readonly OutgoingMessage[]): Promise<SendResult[]> {
    return sendBatches(
      {
        sqs: this.#sqs,
        resolver: this.#resolver,
        maxMessageBytes: this.maxMessageBytes,
        concurrency: this.#concurrency,
      },
      messages,
    );
  }

  /** Receives up to `maxMessages` messages (long polling for `waitTimeSeconds`). */
  async receive(queue: string, options: ReceiveOptions = {}): Promise<ReceivedMessage[]> {
    const { signal } = options;
    if (signal?.aborted) return [];
    const context: FailureContext = { queue, operation: "receive", action: "sqs:ReceiveMessage" };
    try {
      const url = await this.#resolver.resolve(queue, "receive");
      const { sdk, client } = await this.#sqs.ready();
      const { Messages = [] } = await client.send(
        new sdk.ReceiveMessageCommand({
          QueueUrl: url,
          MaxNumberOfMessages: options.maxMessages ?? 10,
          WaitTimeSeconds: options.waitTimeSeconds ?? 0,
          ...(options.visibilityTimeoutSeconds !== undefined && {
            VisibilityTimeout: clampVisibility(options.visibilityTimeoutSeconds),
          }),
          MessageAttributeNames: ["All"],
          MessageSystemAttributeNames: [...RECEIVE_SYSTEM_ATTRIBUTES],
        }),
        // No options at all without a signal: a client with `cacheMiddleware` reuses its
        // resolved middleware only for a send without options.
        signal ? { abortSignal: signal } : undefined,
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
    const url = await this.#resolver.resolve(queue, "delete");
    await deleteBatches(
      await this.#sqs.ready(),
      { queue, url, concurrency: this.#concurrency },
      receiptHandles,
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
      const { sdk, client } = await this.#sqs.ready();
      await client.send(
        new sdk.ChangeMessageVisibilityCommand({
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
    const { sdk, client } = await this.#sqs.ready();
    try {
      await client.send(
        new sdk.SendMessageCommand({
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
    await client
      .send(new sdk.DeleteMessageCommand({ QueueUrl: url, ReceiptHandle: message.receiptHandle }))
      .catch(() => undefined);
  }

  /** The queue's physical name (its URL's last segment), without asking SQS. */
  physicalQueueName(queue: string): string {
    return this.#resolver.physicalName(queue);
  }

  /**
   * Whether the queue is FIFO, its dead-letter queue and `maxReceiveCount`, its default
   * visibility timeout and `MaximumMessageSize`, from one `GetQueueAttributes` per queue.
   */
  async queueInfo(queue: string): Promise<QueueInfo> {
    const operation = "queueInfo";
    const url = await this.#resolver.resolve(queue, operation);
    const [settings, deadLetterQueue] = await Promise.all([
      this.#settings.read(queue, url, operation),
      this.#deadLetters.name(queue, url, operation),
    ]);
    const { redrivePolicy, visibilityTimeoutSeconds, maxMessageBytes } = settings;
    return {
      fifo: isFifoQueueName(queueNameFromUrl(url)),
      deadLetterQueue,
      maxReceiveCount: redrivePolicy?.maxReceiveCount,
      ...(visibilityTimeoutSeconds !== undefined && { visibilityTimeoutSeconds }),
      ...(maxMessageBytes !== undefined && { maxMessageBytes }),
    };
  }

  /** The queue's approximate depth, from `GetQueueAttributes`. */
  async stats(queue: string): Promise<QueueStats> {
    const url = await this.#resolver.resolve(queue, "stats");
    try {
      const { sdk, client } = await this.#sqs.ready();
      const { Attributes = {} } = await client.send(
        new sdk.GetQueueAttributesCommand({
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

  /**
   * The `SQSClient` the driver sends with: the one you passed as `client`, or the one it makes
   * on first use (this imports `@aws-sdk/client-sqs` if no request has yet). Add middleware there.
   *
   * @example
   * // given: driver
   * const client = await driver.getClient();
   * client.middlewareStack.add((next) => (args) => next(args), { step: "initialize" });
   */
  async getClient(): Promise<SQSClient> {
    return (await this.#sqs.ready()).client;
  }

  /** Destroys the client if the driver created it; a client you passed in is left open. */
  async dispose(): Promise<void> {
    await this.#sqs.dispose();
  }
}
