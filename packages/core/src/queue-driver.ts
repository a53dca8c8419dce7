/** One message to send. Drivers ignore the FIFO fields on standard queues. */
export interface OutgoingMessage {
  /** Logical queue name (`"default"`, `"reports.fifo"`), resolved by the driver. */
  readonly queue: string;
  /** The message body (an encoded envelope). */
  readonly body: string;
  /** String message attributes. */
  readonly attributes: Readonly<Record<string, string>>;
  /** Seconds before the message becomes visible, 0..`maxDelaySeconds`. Rejected on FIFO queues. */
  readonly delaySeconds?: number;
  /** FIFO message group id. */
  readonly groupId?: string;
  /** FIFO deduplication id. */
  readonly deduplicationId?: string;
}

/** The outcome of sending one message; `retryable` failures may succeed if sent again. */
export type SendResult =
  | { readonly ok: true; readonly messageId: string }
  | { readonly ok: false; readonly error: Error; readonly retryable: boolean };

/** A message as received from a queue. */
export interface ReceivedMessage {
  /** The queue it was received from, as the caller named it. */
  readonly queue: string;
  readonly messageId: string;
  /** Handle for delete and visibility changes; valid for this receive only. */
  readonly receiptHandle: string;
  readonly body: string;
  /** String message attributes. */
  readonly attributes: Readonly<Record<string, string>>;
  /** How many times the message has been received, this time included (1-based). */
  readonly receiveCount: number;
  /** When the message was sent, epoch milliseconds. */
  readonly sentTimestamp: number;
  /** When the message was first received, epoch milliseconds. */
  readonly firstReceiveTimestamp: number;
  readonly senderId?: string;
  readonly groupId?: string;
  readonly deduplicationId?: string;
  readonly sequenceNumber?: string;
  /** The transport's MD5 digest of the body, when it gives one (SQS does). */
  readonly md5OfBody?: string;
  /** The transport's MD5 digest of the message attributes, when it gives one. */
  readonly md5OfMessageAttributes?: string;
}

/** Options of {@link QueueDriver.receive}. */
export interface ReceiveOptions {
  /** 1..10. Default 10. */
  readonly maxMessages?: number;
  /** Long polling: wait up to this many seconds (0..20) for a message. Default 0. */
  readonly waitTimeSeconds?: number;
  /** Visibility timeout for the received messages; the queue's default when absent. */
  readonly visibilityTimeoutSeconds?: number;
  /** Ends a long poll early; the receive then resolves with what it has (usually nothing). */
  readonly signal?: AbortSignal;
}

/** Why a message was moved to the dead-letter queue. */
export type DeadLetterReason =
  | "malformed"
  | "invalid-envelope"
  | "invalid-payload"
  | "unknown-job"
  | "permanent"
  | "retry-exhausted"
  | "signature"
  /** Received after its `expiresAt` (`expiresIn` / `expiresAfter`); it never ran. */
  | "expired"
  /** Moved by the queue's own redrive policy after `maxReceiveCount` receives (e.g. crashes). */
  | "max-receive-count";

/** What travels with a dead-lettered message. */
export interface DeadLetterDetails {
  readonly reason: DeadLetterReason;
  /** The last error's message, if any. */
  readonly error?: string;
  /** The attempt on which it was dead-lettered. */
  readonly attempt: number;
}

/** Message attributes a driver sets on a dead-lettered copy. */
export const DEAD_LETTER_ATTRIBUTES = {
  reason: "glasswork.dlq.reason",
  error: "glasswork.dlq.error",
  attempt: "glasswork.dlq.attempt",
  sourceQueue: "glasswork.dlq.source-queue",
} as const;

/** Queue depth, as the transport reports it (approximate on SQS). */
export interface QueueStats {
  /** Messages ready to be received. */
  readonly visible: number;
  /** Messages received and not yet deleted or back. */
  readonly inFlight: number;
  /** Messages waiting for their delay. */
  readonly delayed: number;
}

/** What a driver knows about a queue's configuration. */
export interface QueueInfo {
  readonly fifo: boolean;
  /** The dead-letter queue's name, if the queue has one. */
  readonly deadLetterQueue: string | undefined;
  /** The redrive policy's `maxReceiveCount`, if any. */
  readonly maxReceiveCount: number | undefined;
  /** The queue's default visibility timeout, when the driver can tell. */
  readonly visibilityTimeoutSeconds?: number;
  /** The largest message the queue accepts, when the driver can tell. */
  readonly maxMessageBytes?: number;
}

/**
 * A transport for jobs. Both sides use it: `JobService` sends, the worker and the poller
 * receive, delete, change visibility and dead-letter. Every driver runs the contract suite from
 * `@glasswork/core/testing`.
 */
export interface QueueDriver {
  /** Longest native delay in seconds (SQS: 900). Longer delays are relayed. */
  readonly maxDelaySeconds: number;
  /** Largest message the transport accepts, in bytes. */
  readonly maxMessageBytes: number;
  /**
   * The driver's own time source, when it keeps one (the mock driver's `ManualClock`).
   * `JobService` then reads the time from it, so that delays and `runAt` agree with the queue.
   */
  readonly clock?: { now(): number };
  /**
   * The queue's real name at the transport (SQS: the last segment of its URL), for a logical
   * name, a physical name or a URL, without I/O; the name unchanged when the driver cannot tell.
   * A Lambda worker knows its queue only by this name (from the event source ARN), so tools that
   * match a queue by name (dead letters' source, telemetry) ask for it.
   */
  physicalQueueName?(queue: string): string;
  /**
   * Sends messages, in as few requests as the transport allows. Resolves with one result per
   * message, in order; it rejects only when nothing could be attempted.
   */
  send(messages: readonly OutgoingMessage[]): Promise<SendResult[]>;
  /** Receives up to `maxMessages` visible messages. */
  receive(queue: string, options?: ReceiveOptions): Promise<ReceivedMessage[]>;
  /** Deletes received messages. */
  delete(queue: string, receiptHandles: readonly string[]): Promise<void>;
  /** Makes a received message visible again after `timeoutSeconds` (0 = now). */
  changeVisibility(queue: string, receiptHandle: string, timeoutSeconds: number): Promise<void>;
  /**
   * Sends a copy of the message to the queue's dead-letter queue with the details, then
   * deletes the original. Once the copy is sent the move counts as done (the caller reports the
   * record as finished, so it is deleted anyway). Rejects with `NoDeadLetterQueueError` when the
   * queue has none, keeping the message.
   */
  moveToDeadLetter(message: ReceivedMessage, details: DeadLetterDetails): Promise<void>;
  /** The queue's configuration (FIFO, dead-letter queue, redrive limit). */
  queueInfo(queue: string): Promise<QueueInfo>;
  /** The queue's depth. */
  stats(queue: string): Promise<QueueStats>;
  /** Releases connections and timers. */
  dispose(): Promise<void>;
}
