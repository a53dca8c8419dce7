import type {
  OutgoingMessage,
  QueueDriver,
  QueueInfo,
  QueueStats,
  ReceivedMessage,
  SendResult,
} from "./queue-driver.js";

/** Makes matching messages fail on the first `calls` calls of `send`. */
export interface FakeSendFailure {
  readonly match: (message: OutgoingMessage) => boolean;
  readonly retryable: boolean;
  /** How many `send` calls (counted from the first) fail the matching messages. Default: all. */
  readonly calls?: number;
  readonly error?: Error;
}

/** Options of {@link FakeQueueDriver}. */
export interface FakeQueueDriverOptions {
  readonly maxDelaySeconds?: number;
  readonly maxMessageBytes?: number;
  readonly failures?: readonly FakeSendFailure[];
  /** Rejects the whole call number N (1-based) with the error. */
  readonly rejectCalls?: Readonly<Record<number, unknown>>;
}

/**
 * A recording {@link QueueDriver} for JobService tests: it keeps every `send` call, and fails
 * messages or whole calls as told. Only `send` does anything; it has no queue semantics.
 */
export class FakeQueueDriver implements QueueDriver {
  readonly maxDelaySeconds: number;
  readonly maxMessageBytes: number;
  /** Every `send` call, with its messages, in order. */
  readonly calls: (readonly OutgoingMessage[])[] = [];
  /** The messages the fake accepted, in order. */
  readonly accepted: OutgoingMessage[] = [];
  readonly #failures: readonly FakeSendFailure[];
  readonly #rejectCalls: Readonly<Record<number, unknown>>;
  #nextId = 1;

  constructor(options: FakeQueueDriverOptions = {}) {
    this.maxDelaySeconds = options.maxDelaySeconds ?? 900;
    this.maxMessageBytes = options.maxMessageBytes ?? 262_144;
    this.#failures = options.failures ?? [];
    this.#rejectCalls = options.rejectCalls ?? {};
  }

  /** Every message passed to `send`, across calls. */
  get sent(): OutgoingMessage[] {
    return this.calls.flat();
  }

  /** How many times a message with this body was passed to `send`. */
  sendCount(body: string): number {
    return this.sent.filter((m) => m.body === body).length;
  }

  /** How many times a message with this body was accepted. */
  acceptedCount(body: string): number {
    return this.accepted.filter((m) => m.body === body).length;
  }

  async send(messages: readonly OutgoingMessage[]): Promise<SendResult[]> {
    this.calls.push([...messages]);
    const call = this.calls.length;
    if (call in this.#rejectCalls) throw this.#rejectCalls[call];
    return messages.map((message): SendResult => {
      const failure = this.#failures.find(
        (f) => call <= (f.calls ?? Number.POSITIVE_INFINITY) && f.match(message),
      );
      if (failure) {
        return {
          ok: false,
          error: failure.error ?? new Error(`fake failure on call ${call}`),
          retryable: failure.retryable,
        };
      }
      this.accepted.push(message);
      return { ok: true, messageId: `msg-${this.#nextId++}` };
    });
  }

  async receive(): Promise<ReceivedMessage[]> {
    return [];
  }

  async delete(): Promise<void> {}

  async changeVisibility(): Promise<void> {}

  async moveToDeadLetter(): Promise<void> {
    throw new Error("FakeQueueDriver has no dead-letter queue");
  }

  async queueInfo(): Promise<QueueInfo> {
    return { fifo: false, deadLetterQueue: undefined, maxReceiveCount: undefined };
  }

  async stats(): Promise<QueueStats> {
    return { visible: 0, inFlight: 0, delayed: 0 };
  }

  async dispose(): Promise<void> {}
}
