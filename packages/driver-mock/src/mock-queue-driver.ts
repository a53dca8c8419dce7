import {
  type AnyJobDefinition,
  DEAD_LETTER_ATTRIBUTES,
  DEFAULT_MAX_MESSAGE_BYTES,
  type DeadLetterDetails,
  type DeadLetterReason,
  decodeEnvelope,
  type JobInput,
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
import { type Clock, ManualClock, systemClock } from "./clock.js";
import { matchesPartial } from "./internal/partial-match.js";

/** Options of {@link MockQueueDriver}. */
export interface MockQueueDriverOptions {
  /** Time source. Default the system clock; pass a {@link ManualClock} to control time. */
  clock?: Clock;
  /** Largest message accepted, in bytes. Default 262,144. */
  maxMessageBytes?: number;
  /** Visibility timeout of received messages when `receive` names none. Default 30 s. */
  visibilityTimeoutSeconds?: number;
  /**
   * Dead-letter queue per source queue; `null` for none. Queues not listed get `<name>-dlq`
   * (`<name>-dlq.fifo` for FIFO), except queues whose name already ends in `-dlq`.
   */
  deadLetterQueues?: Readonly<Record<string, string | null>>;
  /** Redrive policy per queue: move a message to its dead-letter queue on the receive after this many. */
  maxReceiveCount?: Readonly<Record<string, number>>;
}

/** A job the driver accepted, decoded from its envelope. */
export interface EnqueuedRecord {
  readonly jobName: string;
  readonly jobId: string;
  readonly payload: unknown;
  readonly queue: string;
  readonly messageId: string;
  readonly delaySeconds: number;
  readonly runAt: Date | undefined;
  readonly meta: Readonly<Record<string, string>>;
  readonly body: string;
  readonly sentAt: Date;
}

/** A message moved to a dead-letter queue, with why. */
export interface DeadLetterRecord {
  /** The queue the message came from. */
  readonly queue: string;
  readonly deadLetterQueue: string;
  readonly reason: DeadLetterReason;
  readonly error: string | undefined;
  readonly attempt: number;
  readonly body: string;
  /** From the envelope, when the body is one. */
  readonly jobName: string | undefined;
  readonly payload: unknown;
}

/** Driver operations that {@link MockQueueDriver.failNext} can fail. */
export type MockOperation = "send" | "receive" | "delete" | "changeVisibility" | "moveToDeadLetter";

interface StoredMessage {
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
  receiptHandle: string | undefined;
}

interface EntryFailure {
  readonly match: (message: OutgoingMessage, index: number) => boolean;
  readonly retryable: boolean;
  remaining: number;
}

const DEDUPLICATION_WINDOW_MS = 5 * 60 * 1000;

/**
 * An in-memory {@link QueueDriver} with SQS semantics: visibility timeouts, receive counts,
 * delays, FIFO groups with 5-minute deduplication, dead-letter queues and redrive, on a clock
 * you control. For unit tests: inspect `enqueued` and `deadLetters`, inject failures.
 *
 * @example
 * const driver = new MockQueueDriver();
 * const jobs = new JobService(driver);
 * await signUp(jobs, "ada@example.com");
 * driver.expectEnqueued(sendWelcomeEmail, { userId: "u_1" });
 */
export class MockQueueDriver implements QueueDriver {
  readonly maxDelaySeconds = 900;
  readonly maxMessageBytes: number;
  readonly clock: Clock;
  /** Number of calls per operation, to assert request counts. */
  readonly calls: Record<MockOperation | "queueInfo" | "stats", number> = {
    send: 0,
    receive: 0,
    delete: 0,
    changeVisibility: 0,
    moveToDeadLetter: 0,
    queueInfo: 0,
    stats: 0,
  };

  readonly #options: MockQueueDriverOptions;
  readonly #queues = new Map<string, StoredMessage[]>();
  readonly #dedup = new Map<string, { messageId: string; at: number }>();
  readonly #enqueued: EnqueuedRecord[] = [];
  readonly #deadLetters: DeadLetterRecord[] = [];
  readonly #failures = new Map<MockOperation, { error: Error; remaining: number }>();
  readonly #entryFailures: EntryFailure[] = [];
  readonly #waiters = new Set<() => void>();
  #ids = 0;
  #sequence = 0;
  #disposed = false;
  readonly #stopClockListener: (() => void) | undefined;

  constructor(options: MockQueueDriverOptions = {}) {
    this.#options = options;
    this.clock = options.clock ?? systemClock;
    this.maxMessageBytes = options.maxMessageBytes ?? DEFAULT_MAX_MESSAGE_BYTES;
    if (this.clock instanceof ManualClock)
      this.#stopClockListener = this.clock.onAdvance(() => this.#wake());
  }

  /** Every job accepted since the start or the last {@link clear}, in send order. */
  get enqueued(): readonly EnqueuedRecord[] {
    return this.#enqueued;
  }

  /** Every message moved to a dead-letter queue, in order. */
  get deadLetters(): readonly DeadLetterRecord[] {
    return this.#deadLetters;
  }

  /** The jobs of one definition that were enqueued, with their typed payloads. */
  enqueuedJobs<J extends AnyJobDefinition>(job: J): (EnqueuedRecord & { payload: JobInput<J> })[] {
    return this.#enqueued.filter((r) => r.jobName === job.name) as (EnqueuedRecord & {
      payload: JobInput<J>;
    })[];
  }

  /** True when a job of this definition was enqueued with a payload containing `payload`. */
  wasEnqueued<J extends AnyJobDefinition>(job: J, payload?: Partial<JobInput<J>>): boolean {
    return this.enqueuedJobs(job).some(
      (r) => payload === undefined || matchesPartial(r.payload, payload),
    );
  }

  /**
   * Throws a readable error unless a job of this definition was enqueued with a payload
   * containing `payload`. Returns the matching record.
   */
  expectEnqueued<J extends AnyJobDefinition>(
    job: J,
    payload?: Partial<JobInput<J>>,
  ): EnqueuedRecord {
    const found = this.enqueuedJobs(job).find(
      (r) => payload === undefined || matchesPartial(r.payload, payload),
    );
    if (found) return found;
    const seen = this.enqueuedJobs(job).map((r) => JSON.stringify(r.payload));
    throw new Error(
      `Expected job "${job.name}" to be enqueued${payload ? ` with ${JSON.stringify(payload)}` : ""}, ` +
        (seen.length
          ? `but its payloads were:\n  ${seen.join("\n  ")}`
          : "but it was never enqueued"),
    );
  }

  /** The messages now stored in a queue (visible, delayed and in flight), oldest first. */
  messages(queue: string): readonly ReceivedMessage[] {
    return this.#queue(queue).map((m) => this.#toReceived(m, queue));
  }

  /** Forgets every message, record, failure and counter. */
  clear(): void {
    this.#queues.clear();
    this.#dedup.clear();
    this.#enqueued.length = 0;
    this.#deadLetters.length = 0;
    this.#failures.clear();
    this.#entryFailures.length = 0;
    for (const key of Object.keys(this.calls)) this.calls[key as keyof typeof this.calls] = 0;
  }

  /** Makes the next `times` calls of an operation reject with `error` (default a retryable driver error). */
  failNext(operation: MockOperation, options: { error?: Error; times?: number } = {}): void {
    const error =
      options.error ??
      new QueueDriverError("*", operation, "injected failure", { retryable: true });
    this.#failures.set(operation, { error, remaining: options.times ?? 1 });
  }

  /**
   * Makes matching entries of the next `times` send calls fail, as SQS fails entries of a
   * batch. Retryable by default (like throttling).
   */
  failEntries(
    match: (message: OutgoingMessage, index: number) => boolean,
    options: { retryable?: boolean; times?: number } = {},
  ): void {
    this.#entryFailures.push({
      match,
      retryable: options.retryable ?? true,
      remaining: options.times ?? 1,
    });
  }

  async send(messages: readonly OutgoingMessage[]): Promise<SendResult[]> {
    this.#enter("send");
    const failures = this.#entryFailures.filter((f) => f.remaining > 0);
    for (const failure of failures) failure.remaining--;
    const results = messages.map((message, index): SendResult => {
      const failure = failures.find((f) => f.match(message, index));
      if (failure) {
        const error = new QueueDriverError(message.queue, "send", "injected entry failure", {
          retryable: failure.retryable,
        });
        return { ok: false, error, retryable: failure.retryable };
      }
      return this.#store(message);
    });
    keepGroupOrder(messages, results);
    if (results.some((r) => r.ok)) this.#wake();
    return results;
  }

  async receive(queue: string, options: ReceiveOptions = {}): Promise<ReceivedMessage[]> {
    this.#enter("receive");
    const max = options.maxMessages ?? 10;
    if (!Number.isInteger(max) || max < 1 || max > 10) {
      throw new QueueDriverError(queue, "receive", `maxMessages must be 1..10, got ${max}`);
    }
    const waitMs = (options.waitTimeSeconds ?? 0) * 1000;
    const deadline = Date.now() + waitMs;
    for (;;) {
      const received = this.#take(queue, max, options.visibilityTimeoutSeconds);
      if (received.length > 0 || waitMs === 0 || options.signal?.aborted || this.#disposed)
        return received;
      const remaining = deadline - Date.now();
      if (remaining <= 0) return received;
      await this.#waitForChange(remaining, options.signal);
    }
  }

  async delete(queue: string, receiptHandles: readonly string[]): Promise<void> {
    this.#enter("delete");
    const messages = this.#queue(queue);
    for (const handle of receiptHandles) {
      const index = messages.findIndex((m) => m.receiptHandle === handle);
      if (index >= 0) messages.splice(index, 1);
      else if (!isDeletedHandle(messages, handle)) {
        throw new QueueDriverError(queue, "delete", `receipt handle "${handle}" is not valid`);
      }
    }
  }

  async changeVisibility(
    queue: string,
    receiptHandle: string,
    timeoutSeconds: number,
  ): Promise<void> {
    this.#enter("changeVisibility");
    const message = this.#queue(queue).find((m) => m.receiptHandle === receiptHandle);
    if (!message) {
      throw new QueueDriverError(
        queue,
        "changeVisibility",
        `receipt handle "${receiptHandle}" is not valid`,
      );
    }
    if (message.visibleAt <= this.clock.now()) {
      throw new QueueDriverError(queue, "changeVisibility", "the message is not in flight");
    }
    const seconds = Math.min(MAX_VISIBILITY_TIMEOUT_SECONDS, Math.max(0, timeoutSeconds));
    message.visibleAt = this.clock.now() + seconds * 1000;
    if (seconds === 0) this.#wake();
  }

  async moveToDeadLetter(message: ReceivedMessage, details: DeadLetterDetails): Promise<void> {
    this.#enter("moveToDeadLetter");
    const deadLetterQueue = this.#deadLetterQueueOf(message.queue);
    if (deadLetterQueue === undefined) throw new NoDeadLetterQueueError(message.queue);
    const stored = this.#queue(message.queue).find(
      (m) => m.receiptHandle === message.receiptHandle,
    );
    if (!stored) {
      throw new QueueDriverError(
        message.queue,
        "moveToDeadLetter",
        `receipt handle "${message.receiptHandle}" is not valid`,
      );
    }
    this.#deadLetter(stored, deadLetterQueue, details);
  }

  async queueInfo(queue: string): Promise<QueueInfo> {
    this.calls.queueInfo++;
    return {
      fifo: queue.endsWith(".fifo"),
      deadLetterQueue: this.#deadLetterQueueOf(queue),
      maxReceiveCount: this.#options.maxReceiveCount?.[queue],
    };
  }

  async stats(queue: string): Promise<QueueStats> {
    this.calls.stats++;
    const now = this.clock.now();
    const stats = { visible: 0, inFlight: 0, delayed: 0 };
    for (const m of this.#queue(queue)) {
      if (m.visibleAt <= now) stats.visible++;
      else if (m.receiveCount > 0) stats.inFlight++;
      else stats.delayed++;
    }
    return stats;
  }

  async dispose(): Promise<void> {
    this.#disposed = true;
    this.#stopClockListener?.();
    this.#wake();
  }

  #enter(operation: MockOperation): void {
    this.calls[operation]++;
    if (this.#disposed) throw new QueueDriverError("*", operation, "the driver was disposed");
    const failure = this.#failures.get(operation);
    if (failure && failure.remaining > 0) {
      failure.remaining--;
      throw failure.error;
    }
  }

  #store(message: OutgoingMessage): SendResult {
    const fifo = message.queue.endsWith(".fifo");
    const size = measureMessageBytes(message.body, message.attributes);
    if (size > this.maxMessageBytes) {
      const error = new QueueDriverError(
        message.queue,
        "send",
        `message of ${size} bytes is over the queue's limit of ${this.maxMessageBytes} bytes`,
      );
      return { ok: false, error, retryable: false };
    }
    const delay = message.delaySeconds ?? 0;
    if (fifo && delay > 0) {
      const error = new QueueDriverError(
        message.queue,
        "send",
        "FIFO queues do not support per-message delay (DelaySeconds); use a standard queue for delayed jobs",
      );
      return { ok: false, error, retryable: false };
    }
    if (delay < 0 || delay > this.maxDelaySeconds) {
      const error = new QueueDriverError(
        message.queue,
        "send",
        `delaySeconds must be 0..900, got ${delay}`,
      );
      return { ok: false, error, retryable: false };
    }
    const now = this.clock.now();
    if (fifo) {
      if (!message.groupId) {
        const error = new QueueDriverError(message.queue, "send", "FIFO messages need a group id");
        return { ok: false, error, retryable: false };
      }
      const key = `${message.queue}\u0000${message.deduplicationId ?? message.body}`;
      const seen = this.#dedup.get(key);
      if (seen && now - seen.at < DEDUPLICATION_WINDOW_MS)
        return { ok: true, messageId: seen.messageId };
    }
    const id = `mock-${++this.#ids}`;
    const stored: StoredMessage = {
      id,
      queue: message.queue,
      body: message.body,
      attributes: { ...message.attributes },
      sentAt: now,
      groupId: fifo ? message.groupId : undefined,
      deduplicationId: fifo ? (message.deduplicationId ?? message.body) : undefined,
      sequenceNumber: fifo ? String(++this.#sequence).padStart(20, "0") : undefined,
      visibleAt: now + delay * 1000,
      receiveCount: 0,
      firstReceivedAt: 0,
      receiptHandle: undefined,
    };
    if (fifo)
      this.#dedup.set(`${message.queue}\u0000${stored.deduplicationId}`, {
        messageId: id,
        at: now,
      });
    this.#queue(message.queue).push(stored);
    this.#record(stored, delay);
    return { ok: true, messageId: id };
  }

  #record(stored: StoredMessage, delaySeconds: number): void {
    const decoded = decodeEnvelope(stored.body);
    if (!decoded.ok) return;
    const { envelope } = decoded;
    this.#enqueued.push({
      jobName: envelope.name,
      jobId: envelope.id,
      payload: envelope.payload,
      queue: stored.queue,
      messageId: stored.id,
      delaySeconds,
      runAt: envelope.runAt ? new Date(envelope.runAt) : undefined,
      meta: envelope.meta ?? {},
      body: stored.body,
      sentAt: new Date(stored.sentAt),
    });
  }

  #take(queue: string, max: number, visibilityTimeoutSeconds?: number): ReceivedMessage[] {
    const now = this.clock.now();
    const timeout = visibilityTimeoutSeconds ?? this.#options.visibilityTimeoutSeconds ?? 30;
    const messages = this.#queue(queue);
    const fifo = queue.endsWith(".fifo");
    // A FIFO group with a message in flight delivers nothing until that message is done.
    const blockedGroups = new Set<string | undefined>();
    if (fifo)
      for (const m of messages)
        if (m.visibleAt > now && m.receiveCount > 0) blockedGroups.add(m.groupId);

    const taken: ReceivedMessage[] = [];
    for (const message of [...messages]) {
      if (taken.length >= max) break;
      if (fifo && blockedGroups.has(message.groupId)) continue;
      if (message.visibleAt > now) {
        if (fifo) blockedGroups.add(message.groupId);
        continue;
      }
      const maxReceiveCount = this.#options.maxReceiveCount?.[queue];
      const deadLetterQueue = this.#deadLetterQueueOf(queue);
      if (
        maxReceiveCount !== undefined &&
        deadLetterQueue &&
        message.receiveCount >= maxReceiveCount
      ) {
        this.#deadLetter(message, deadLetterQueue, {
          reason: "max-receive-count",
          attempt: message.receiveCount,
        });
        continue;
      }
      message.receiveCount++;
      if (message.receiveCount === 1) message.firstReceivedAt = now;
      message.visibleAt = now + Math.min(MAX_VISIBILITY_TIMEOUT_SECONDS, timeout) * 1000;
      message.receiptHandle = `${message.id}#${message.receiveCount}`;
      taken.push(this.#toReceived(message, queue));
    }
    return taken;
  }

  #deadLetter(stored: StoredMessage, deadLetterQueue: string, details: DeadLetterDetails): void {
    const messages = this.#queue(stored.queue);
    messages.splice(messages.indexOf(stored), 1);
    const attributes: Record<string, string> = {
      ...stored.attributes,
      [DEAD_LETTER_ATTRIBUTES.reason]: details.reason,
      [DEAD_LETTER_ATTRIBUTES.attempt]: String(details.attempt),
      [DEAD_LETTER_ATTRIBUTES.sourceQueue]: stored.queue,
    };
    if (details.error !== undefined) attributes[DEAD_LETTER_ATTRIBUTES.error] = details.error;
    const id = `mock-${++this.#ids}`;
    this.#queue(deadLetterQueue).push({
      ...stored,
      id,
      queue: deadLetterQueue,
      attributes,
      sentAt: this.clock.now(),
      visibleAt: this.clock.now(),
      receiveCount: 0,
      firstReceivedAt: 0,
      receiptHandle: undefined,
    });
    const decoded = decodeEnvelope(stored.body);
    this.#deadLetters.push({
      queue: stored.queue,
      deadLetterQueue,
      reason: details.reason,
      error: details.error,
      attempt: details.attempt,
      body: stored.body,
      jobName: decoded.ok ? decoded.envelope.name : undefined,
      payload: decoded.ok ? decoded.envelope.payload : undefined,
    });
    this.#wake();
  }

  #deadLetterQueueOf(queue: string): string | undefined {
    const configured = this.#options.deadLetterQueues?.[queue];
    if (configured !== undefined) return configured ?? undefined;
    const fifo = queue.endsWith(".fifo");
    const base = fifo ? queue.slice(0, -".fifo".length) : queue;
    if (base.endsWith("-dlq")) return undefined;
    return fifo ? `${base}-dlq.fifo` : `${base}-dlq`;
  }

  #toReceived(m: StoredMessage, queue: string): ReceivedMessage {
    return {
      queue,
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

  #queue(name: string): StoredMessage[] {
    let messages = this.#queues.get(name);
    if (!messages) {
      messages = [];
      this.#queues.set(name, messages);
    }
    return messages;
  }

  #waitForChange(maxMs: number, signal: AbortSignal | undefined): Promise<void> {
    return new Promise((resolve) => {
      const done = () => {
        clearTimeout(timer);
        this.#waiters.delete(done);
        signal?.removeEventListener("abort", done);
        resolve();
      };
      // With the real clock, a delayed or invisible message may become visible on its own.
      const timer = setTimeout(done, Math.min(maxMs, this.clock === systemClock ? 50 : maxMs));
      this.#waiters.add(done);
      signal?.addEventListener("abort", done, { once: true });
    });
  }

  #wake(): void {
    for (const waiter of [...this.#waiters]) waiter();
  }
}

// A handle of a message that is no longer stored was deleted or dead-lettered: like SQS,
// deleting it again succeeds. A stale handle of a message still stored is an error.
function isDeletedHandle(messages: readonly StoredMessage[], handle: string): boolean {
  const id = handle.slice(0, handle.lastIndexOf("#"));
  return !messages.some((m) => m.id === id);
}

// Like SQSQueueDriver: a call is one request, whose other entries are stored when one fails. A
// failed FIFO message with a later message of its group stored behind it cannot be re-sent
// without reordering the group, so it is reported failed for good.
function keepGroupOrder(messages: readonly OutgoingMessage[], results: SendResult[]): void {
  messages.forEach((message, i) => {
    const result = results[i];
    if (!result || result.ok || !result.retryable || !message.queue.endsWith(".fifo")) return;
    const overtaken = messages.some(
      (later, j) =>
        j > i &&
        later.queue === message.queue &&
        later.groupId === message.groupId &&
        results[j]?.ok,
    );
    if (!overtaken) return;
    results[i] = {
      ok: false,
      retryable: false,
      error: new QueueDriverError(
        message.queue,
        "send",
        `not re-sent: later messages of FIFO group "${message.groupId}" in the same request were accepted, so sending this one again would deliver it after them (${result.error.message})`,
        { cause: result.error },
      ),
    };
  });
}
