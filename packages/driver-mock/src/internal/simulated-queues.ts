import {
  DEAD_LETTER_ATTRIBUTES,
  type DeadLetterDetails,
  MAX_VISIBILITY_TIMEOUT_SECONDS,
  type OutgoingMessage,
  QueueDriverError,
  type QueueStats,
  type ReceivedMessage,
  type SendResult,
} from "@glasswork/core";
import { toAcceptedText } from "@glasswork/core/internal";
import type { Clock } from "../clock.js";
import { isFifoQueue } from "./is-fifo-queue.js";

/** A message as the simulated SQS keeps it. */
export interface StoredMessage {
  readonly id: string;
  readonly queue: string;
  readonly body: string;
  readonly attributes: Readonly<Record<string, string>>;
  readonly sentAt: number;
  readonly groupId: string | undefined;
  readonly deduplicationId: string | undefined;
  readonly sequenceNumber: string | undefined;
  visibleAt: number;
  receiveCount: number;
  firstReceivedAt: number;
  /** When the current receive happened: SQS counts a visibility's 12 h from it. */
  receivedAt: number;
  receiptHandle: string | undefined;
}

/** How the queues are configured, and who hears about what happens in them. */
export interface SimulatedQueuesOptions {
  readonly clock: Clock;
  readonly visibilityTimeoutSeconds: number;
  readonly deadLetterQueues: Readonly<Record<string, string | null>>;
  readonly maxReceiveCount: Readonly<Record<string, number>>;
  /** A message was stored by a send. */
  onSent(message: StoredMessage, delaySeconds: number): void;
  /** A message was moved to a dead-letter queue. */
  onDeadLettered(message: StoredMessage, deadLetterQueue: string, details: DeadLetterDetails): void;
  /** Something became receivable. */
  onChange(): void;
}

const DEDUPLICATION_WINDOW_MS = 5 * 60 * 1000;
// Handles the simulation hands out: `<message id>#<receive count>`.
const RECEIPT_HANDLE = /^mock-\d+#\d+$/;

/**
 * SQS's semantics in memory: visibility timeouts, receive counts, delays, FIFO groups with
 * 5-minute deduplication, dead-letter queues and redrive at `maxReceiveCount`. Every time comes
 * from the clock. Messages reach it already checked against SQS's rules.
 */
export class SimulatedQueues {
  readonly #options: SimulatedQueuesOptions;
  readonly #queues = new Map<string, StoredMessage[]>();
  readonly #dedup = new Map<string, { messageId: string; at: number }>();
  #ids = 0;
  #sequence = 0;

  constructor(options: SimulatedQueuesOptions) {
    this.#options = options;
  }

  /** Stores a message, or answers with the earlier copy's id inside the deduplication window. */
  store(message: OutgoingMessage): SendResult {
    const now = this.#options.clock.now();
    const fifo = isFifoQueue(message.queue);
    // FIFO queues without an explicit id deduplicate by content, as with ContentBasedDeduplication.
    const deduplicationId = fifo ? (message.deduplicationId ?? message.body) : undefined;
    const dedupKey = `${message.queue}\u0000${deduplicationId}`;
    if (fifo) {
      const seen = this.#dedup.get(dedupKey);
      if (seen && now - seen.at < DEDUPLICATION_WINDOW_MS)
        return { ok: true, messageId: seen.messageId };
    }
    const delaySeconds = message.delaySeconds ?? 0;
    const stored: StoredMessage = {
      id: `mock-${++this.#ids}`,
      queue: message.queue,
      body: message.body,
      attributes: { ...message.attributes },
      sentAt: now,
      groupId: fifo ? message.groupId : undefined,
      deduplicationId,
      sequenceNumber: fifo ? String(++this.#sequence).padStart(20, "0") : undefined,
      visibleAt: now + delaySeconds * 1000,
      receiveCount: 0,
      firstReceivedAt: 0,
      receivedAt: 0,
      receiptHandle: undefined,
    };
    if (fifo) this.#dedup.set(dedupKey, { messageId: stored.id, at: now });
    this.#queue(message.queue).push(stored);
    this.#options.onSent(stored, delaySeconds);
    return { ok: true, messageId: stored.id };
  }

  /** Receives up to `max` visible messages, moving those past `maxReceiveCount` first. */
  take(queue: string, max: number, visibilityTimeoutSeconds?: number): ReceivedMessage[] {
    const now = this.#options.clock.now();
    const timeout = visibilityTimeoutSeconds ?? this.#options.visibilityTimeoutSeconds;
    const messages = this.#queue(queue);
    const fifo = isFifoQueue(queue);
    // A FIFO group with a message in flight delivers nothing until that message is done.
    const blockedGroups = new Set<string | undefined>();
    if (fifo)
      for (const m of messages)
        if (m.visibleAt > now && m.receiveCount > 0) blockedGroups.add(m.groupId);

    const maxReceiveCount = this.#options.maxReceiveCount[queue];
    const deadLetterQueue = this.deadLetterQueueOf(queue);
    const taken: ReceivedMessage[] = [];
    for (const message of [...messages]) {
      if (taken.length >= max) break;
      if (fifo && blockedGroups.has(message.groupId)) continue;
      if (message.visibleAt > now) {
        if (fifo) blockedGroups.add(message.groupId);
        continue;
      }
      if (
        maxReceiveCount !== undefined &&
        deadLetterQueue &&
        message.receiveCount >= maxReceiveCount
      ) {
        this.#redrive(message, deadLetterQueue);
        continue;
      }
      message.receiveCount++;
      if (message.receiveCount === 1) message.firstReceivedAt = now;
      message.receivedAt = now;
      message.visibleAt = now + Math.min(MAX_VISIBILITY_TIMEOUT_SECONDS, timeout) * 1000;
      message.receiptHandle = `${message.id}#${message.receiveCount}`;
      taken.push(toReceived(message));
    }
    return taken;
  }

  /**
   * Deletes received messages. Like SQS, a handle from an earlier receive, or of a message
   * already deleted, succeeds and deletes nothing; a handle the queue never gave out is refused.
   */
  delete(queue: string, receiptHandles: readonly string[]): void {
    const messages = this.#queue(queue);
    for (const handle of receiptHandles) {
      const index = messages.findIndex((m) => m.receiptHandle === handle);
      if (index >= 0) messages.splice(index, 1);
      else if (!RECEIPT_HANDLE.test(handle)) {
        throw new QueueDriverError(
          queue,
          "delete",
          `ReceiptHandleIsInvalid: "${handle}" is not a receipt handle`,
        );
      }
    }
  }

  /**
   * Sets the visibility of a message in flight. Like SQS, a visibility that would end more than
   * 12 hours after the message's receive is refused (not capped): the 12 h count from the
   * receive, not from the change.
   */
  changeVisibility(queue: string, receiptHandle: string, timeoutSeconds: number): void {
    const message = this.#inFlight(queue, receiptHandle, "changeVisibility");
    const now = this.#options.clock.now();
    if (message.visibleAt <= now) {
      throw new QueueDriverError(queue, "changeVisibility", "the message is not in flight");
    }
    const seconds = Math.min(MAX_VISIBILITY_TIMEOUT_SECONDS, Math.max(0, timeoutSeconds));
    const limit = message.receivedAt + MAX_VISIBILITY_TIMEOUT_SECONDS * 1000;
    if (now + seconds * 1000 > limit) {
      throw new QueueDriverError(
        queue,
        "changeVisibility",
        `InvalidParameterValue: the visibility timeout of ${seconds} s would end more than ${MAX_VISIBILITY_TIMEOUT_SECONDS} s after the message was received`,
      );
    }
    message.visibleAt = now + seconds * 1000;
    if (seconds === 0) this.#options.onChange();
  }

  /**
   * Moves a received message to a dead-letter queue with the details in attributes, as
   * `SQSQueueDriver.moveToDeadLetter` does: a new message there, the original deleted.
   */
  moveToDeadLetter(
    message: ReceivedMessage,
    deadLetterQueue: string,
    details: DeadLetterDetails,
  ): void {
    const stored = this.#inFlight(message.queue, message.receiptHandle, "moveToDeadLetter");
    const attributes: Record<string, string> = {
      ...stored.attributes,
      [DEAD_LETTER_ATTRIBUTES.reason]: details.reason,
      [DEAD_LETTER_ATTRIBUTES.attempt]: String(details.attempt),
      [DEAD_LETTER_ATTRIBUTES.sourceQueue]: stored.queue,
    };
    if (details.error) attributes[DEAD_LETTER_ATTRIBUTES.error] = toAcceptedText(details.error);
    this.#remove(stored);
    const now = this.#options.clock.now();
    this.#queue(deadLetterQueue).push({
      ...stored,
      id: `mock-${++this.#ids}`,
      queue: deadLetterQueue,
      attributes,
      sentAt: now,
      visibleAt: now,
      receiveCount: 0,
      firstReceivedAt: 0,
      receivedAt: 0,
      receiptHandle: undefined,
    });
    this.#options.onDeadLettered(stored, deadLetterQueue, details);
    this.#options.onChange();
  }

  /** The dead-letter queue of `queue`: configured, else `<name>-dlq` (none for a `-dlq` queue). */
  deadLetterQueueOf(queue: string): string | undefined {
    const configured = this.#options.deadLetterQueues[queue];
    if (configured !== undefined) return configured ?? undefined;
    const fifo = isFifoQueue(queue);
    const base = fifo ? queue.slice(0, -".fifo".length) : queue;
    if (base.endsWith("-dlq")) return undefined;
    return fifo ? `${base}-dlq.fifo` : `${base}-dlq`;
  }

  /** Visible, in-flight and delayed messages of a queue. */
  stats(queue: string): QueueStats {
    const now = this.#options.clock.now();
    const stats = { visible: 0, inFlight: 0, delayed: 0 };
    for (const m of this.#queue(queue)) {
      if (m.visibleAt <= now) stats.visible++;
      else if (m.receiveCount > 0) stats.inFlight++;
      else stats.delayed++;
    }
    return stats;
  }

  /** What a queue holds now, oldest first. */
  messages(queue: string): ReceivedMessage[] {
    return this.#queue(queue).map(toReceived);
  }

  /** Forgets every message and deduplication id. */
  clear(): void {
    this.#queues.clear();
    this.#dedup.clear();
  }

  // SQS's own redrive moves the message as it is: same id, same attributes, and its receive
  // count goes on. Only the glasswork.dlq.* attributes of an explicit move say why.
  #redrive(message: StoredMessage, deadLetterQueue: string): void {
    this.#remove(message);
    this.#queue(deadLetterQueue).push({
      ...message,
      queue: deadLetterQueue,
      visibleAt: this.#options.clock.now(),
      receiptHandle: undefined,
    });
    this.#options.onDeadLettered(message, deadLetterQueue, {
      reason: "max-receive-count",
      attempt: message.receiveCount,
    });
    this.#options.onChange();
  }

  #inFlight(queue: string, receiptHandle: string, operation: string): StoredMessage {
    const stored = this.#queue(queue).find((m) => m.receiptHandle === receiptHandle);
    if (!stored) {
      throw new QueueDriverError(
        queue,
        operation,
        `receipt handle "${receiptHandle}" is not valid`,
      );
    }
    return stored;
  }

  #remove(message: StoredMessage): void {
    const messages = this.#queue(message.queue);
    messages.splice(messages.indexOf(message), 1);
  }

  #queue(name: string): StoredMessage[] {
    let messages = this.#queues.get(name);
    if (!messages) {
      messages = [];
      this.#queues.set(name, messages);
    }
    return messages;
  }
}

function toReceived(m: StoredMessage): ReceivedMessage {
  return {
    queue: m.queue,
    messageId: m.id,
    receiptHandle: m.receiptHandle ?? "",
    body: m.body,
    attributes: m.attributes,
    receiveCount: m.receiveCount,
    sentTimestamp: m.sentAt,
    firstReceiveTimestamp: m.firstReceivedAt,
    ...(m.groupId !== undefined && { groupId: m.groupId }),
    ...(m.deduplicationId !== undefined && { deduplicationId: m.deduplicationId }),
    ...(m.sequenceNumber !== undefined && { sequenceNumber: m.sequenceNumber }),
  };
}
