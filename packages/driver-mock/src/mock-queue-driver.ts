import {
  type AnyJobDefinition,
  DEFAULT_MAX_MESSAGE_BYTES,
  type DeadLetterDetails,
  type JobInput,
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
import { FaultInjector, type MockOperation } from "./fault-injector.js";
import { isFifoQueue } from "./internal/is-fifo-queue.js";
import { keepGroupOrder } from "./internal/keep-group-order.js";
import { LongPoll } from "./internal/long-poll.js";
import { refusalOf } from "./internal/outgoing-message-rules.js";
import { describeExpected, matchesPartial } from "./internal/partial-match.js";
import { SimulatedQueues } from "./internal/simulated-queues.js";
import { toDeadLetterRecord, toEnqueuedRecord } from "./internal/to-records.js";
import type { DeadLetterRecord, EnqueuedRecord } from "./mock-records.js";

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

// With the real clock, delayed and invisible messages become visible on their own.
const SYSTEM_CLOCK_POLL_MS = 50;

/**
 * An in-memory {@link QueueDriver} with SQS semantics: visibility timeouts, receive counts,
 * delays, FIFO groups with 5-minute deduplication, dead-letter queues and redrive, SQS's rules
 * for message contents, on a clock you control. For unit tests: inspect `enqueued` and
 * `deadLetters`, inject failures.
 *
 * @example
 * // given: JobService, signUp, sendWelcomeEmail
 * const driver = new MockQueueDriver();
 * const jobs = new JobService(driver);
 * await signUp(jobs, { email: "ada@example.com" });
 * driver.expectEnqueued(sendWelcomeEmail, { userId: "u_1" });
 */
export class MockQueueDriver implements QueueDriver {
  readonly maxDelaySeconds = 900;
  readonly maxMessageBytes: number;
  /** The time of the queues; `JobService` reads it too. */
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

  readonly #maxReceiveCount: Readonly<Record<string, number>>;
  readonly #visibilityTimeoutSeconds: number;
  readonly #queues: SimulatedQueues;
  readonly #faults = new FaultInjector();
  readonly #poll = new LongPoll();
  readonly #enqueued: EnqueuedRecord[] = [];
  readonly #deadLetters: DeadLetterRecord[] = [];
  #disposed = false;
  readonly #stopClockListener: (() => void) | undefined;

  constructor(options: MockQueueDriverOptions = {}) {
    this.clock = options.clock ?? systemClock;
    this.maxMessageBytes = options.maxMessageBytes ?? DEFAULT_MAX_MESSAGE_BYTES;
    this.#maxReceiveCount = options.maxReceiveCount ?? {};
    this.#visibilityTimeoutSeconds = options.visibilityTimeoutSeconds ?? 30;
    this.#queues = new SimulatedQueues({
      clock: this.clock,
      visibilityTimeoutSeconds: this.#visibilityTimeoutSeconds,
      deadLetterQueues: options.deadLetterQueues ?? {},
      maxReceiveCount: this.#maxReceiveCount,
      onSent: (stored, delaySeconds) => {
        const record = toEnqueuedRecord(stored, delaySeconds);
        if (record) this.#enqueued.push(record);
      },
      onDeadLettered: (stored, deadLetterQueue, details) => {
        this.#deadLetters.push(toDeadLetterRecord(stored, deadLetterQueue, details));
      },
      onChange: () => this.#poll.wake(),
    });
    if (this.clock instanceof ManualClock)
      this.#stopClockListener = this.clock.onAdvance(() => this.#poll.wake());
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

  /**
   * True when a job of this definition was enqueued with a payload containing `payload`.
   * Values may be vitest or jest asymmetric matchers (`expect.any(String)`).
   */
  wasEnqueued<J extends AnyJobDefinition>(job: J, payload?: Partial<JobInput<J>>): boolean {
    return this.enqueuedJobs(job).some(
      (r) => payload === undefined || matchesPartial(r.payload, payload),
    );
  }

  /**
   * Throws a readable error unless a job of this definition was enqueued with a payload
   * containing `payload`, whose values may be asymmetric matchers (`expect.any(String)`,
   * `expect.stringMatching(/…/)`, `expect.objectContaining({…})`). Returns the matching record.
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
      `Expected job "${job.name}" to be enqueued${payload ? ` with ${describeExpected(payload)}` : ""}, ` +
        (seen.length
          ? `but its payloads were:\n  ${seen.join("\n  ")}`
          : "but it was never enqueued"),
    );
  }

  /** The messages now stored in a queue (visible, delayed and in flight), oldest first. */
  messages(queue: string): readonly ReceivedMessage[] {
    return this.#queues.messages(queue);
  }

  /** Forgets every message, record, failure and counter. */
  clear(): void {
    this.#queues.clear();
    this.#enqueued.length = 0;
    this.#deadLetters.length = 0;
    this.#faults.clear();
    for (const key of Object.keys(this.calls)) this.calls[key as keyof typeof this.calls] = 0;
  }

  /** Makes the next `times` calls of an operation reject with `error` (default a retryable driver error). */
  failNext(operation: MockOperation, options: { error?: Error; times?: number } = {}): void {
    this.#faults.failNext(operation, options);
  }

  /**
   * Makes matching entries of the next `times` send calls fail, as SQS fails entries of a
   * batch. Retryable by default (like throttling).
   */
  failEntries(
    match: (message: OutgoingMessage, index: number) => boolean,
    options: { retryable?: boolean; times?: number } = {},
  ): void {
    this.#faults.failEntries(match, options);
  }

  /**
   * Stores messages as SQS would, refusing what SQS refuses (size, delay, characters outside
   * SQS's set in bodies and attributes, attribute names) with a non-retryable error.
   */
  async send(messages: readonly OutgoingMessage[]): Promise<SendResult[]> {
    this.#enter("send");
    const injected = this.#faults.sendEntries(messages);
    const results = messages.map((message, index): SendResult => {
      const retryable = injected[index];
      if (retryable !== undefined) {
        const error = new QueueDriverError(message.queue, "send", "injected entry failure", {
          retryable,
        });
        return { ok: false, error, retryable };
      }
      const refusal = refusalOf(message, this);
      if (refusal === undefined) return this.#queues.store(message);
      return {
        ok: false,
        error: new QueueDriverError(message.queue, "send", refusal),
        retryable: false,
      };
    });
    keepGroupOrder(messages, results);
    if (results.some((r) => r.ok)) this.#poll.wake();
    return results;
  }

  /** Receives visible messages, long polling for `waitTimeSeconds` when there are none. */
  async receive(queue: string, options: ReceiveOptions = {}): Promise<ReceivedMessage[]> {
    this.#enter("receive");
    const max = options.maxMessages ?? 10;
    if (!Number.isInteger(max) || max < 1 || max > 10) {
      throw new QueueDriverError(queue, "receive", `maxMessages must be 1..10, got ${max}`);
    }
    const waitMs = (options.waitTimeSeconds ?? 0) * 1000;
    const waitUntil = performance.now() + waitMs;
    const pollMs = this.clock === systemClock ? SYSTEM_CLOCK_POLL_MS : waitMs;
    for (;;) {
      const received = this.#queues.take(queue, max, options.visibilityTimeoutSeconds);
      if (received.length > 0 || waitMs === 0 || options.signal?.aborted || this.#disposed)
        return received;
      const remaining = waitUntil - performance.now();
      if (remaining <= 0) return received;
      await this.#poll.wait(remaining, options.signal, pollMs);
    }
  }

  /** Queues of the mock have one name: the one they were created under. */
  physicalQueueName(queue: string): string {
    return queue;
  }

  /** Deletes received messages; stale handles succeed without deleting, as on SQS. */
  async delete(queue: string, receiptHandles: readonly string[]): Promise<void> {
    this.#enter("delete");
    this.#queues.delete(queue, receiptHandles);
  }

  async changeVisibility(
    queue: string,
    receiptHandle: string,
    timeoutSeconds: number,
  ): Promise<void> {
    this.#enter("changeVisibility");
    this.#queues.changeVisibility(queue, receiptHandle, timeoutSeconds);
  }

  async moveToDeadLetter(message: ReceivedMessage, details: DeadLetterDetails): Promise<void> {
    this.#enter("moveToDeadLetter");
    const deadLetterQueue = this.#queues.deadLetterQueueOf(message.queue);
    if (deadLetterQueue === undefined) throw new NoDeadLetterQueueError(message.queue);
    this.#queues.moveToDeadLetter(message, deadLetterQueue, details);
  }

  async queueInfo(queue: string): Promise<QueueInfo> {
    this.calls.queueInfo++;
    return {
      fifo: isFifoQueue(queue),
      deadLetterQueue: this.#queues.deadLetterQueueOf(queue),
      maxReceiveCount: this.#maxReceiveCount[queue],
      visibilityTimeoutSeconds: this.#visibilityTimeoutSeconds,
      maxMessageBytes: this.maxMessageBytes,
    };
  }

  async stats(queue: string): Promise<QueueStats> {
    this.calls.stats++;
    return this.#queues.stats(queue);
  }

  async dispose(): Promise<void> {
    this.#disposed = true;
    this.#stopClockListener?.();
    this.#poll.wake();
  }

  #enter(operation: MockOperation): void {
    this.calls[operation]++;
    if (this.#disposed) throw new QueueDriverError("*", operation, "the driver was disposed");
    this.#faults.enter(operation);
  }
}
