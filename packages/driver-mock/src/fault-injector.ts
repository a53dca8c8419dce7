import { type OutgoingMessage, QueueDriverError } from "@glasswork/core";

/** Driver operations that `MockQueueDriver.failNext` can fail. */
export type MockOperation = "send" | "receive" | "delete" | "changeVisibility" | "moveToDeadLetter";

interface EntryFailure {
  readonly match: (message: OutgoingMessage, index: number) => boolean;
  readonly retryable: boolean;
  remaining: number;
}

/**
 * The failures a test asked `MockQueueDriver` for: whole operations (`failNext`) and entries of
 * sends (`failEntries`), each for a number of calls.
 */
export class FaultInjector {
  readonly #failures = new Map<MockOperation, { error: Error; remaining: number }>();
  readonly #entryFailures: EntryFailure[] = [];

  /** Makes the next `times` calls of an operation reject with `error`. */
  failNext(operation: MockOperation, options: { error?: Error; times?: number } = {}): void {
    const error =
      options.error ??
      new QueueDriverError("*", operation, "injected failure", { retryable: true });
    this.#failures.set(operation, { error, remaining: options.times ?? 1 });
  }

  /** Makes matching entries of the next `times` sends fail. Retryable by default. */
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

  /** Throws the failure due for this call of `operation`, if any. */
  enter(operation: MockOperation): void {
    const failure = this.#failures.get(operation);
    if (failure && failure.remaining > 0) {
      failure.remaining--;
      throw failure.error;
    }
  }

  /**
   * Starts a send: returns, for each entry, the failure injected into it (its `retryable`), or
   * `undefined` for entries that go through. Counts the call against every pending entry failure.
   */
  sendEntries(messages: readonly OutgoingMessage[]): (boolean | undefined)[] {
    const active = this.#entryFailures.filter((f) => f.remaining > 0);
    for (const failure of active) failure.remaining--;
    return messages.map((message, index) => active.find((f) => f.match(message, index))?.retryable);
  }

  /** Forgets every pending failure. */
  clear(): void {
    this.#failures.clear();
    this.#entryFailures.length = 0;
  }
}
