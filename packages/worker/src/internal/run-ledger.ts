/** What a worker instance saw of one message before this receive. */
export interface MessageHistory {
  /** Receives that ended in a release without running (deadline, behind a failed FIFO message). */
  readonly releases: number;
  /** Receives that ended in a failure that was retried. */
  readonly failures: number;
}

const NONE: MessageHistory = { releases: 0, failures: 0 };

/**
 * Per worker instance (one Lambda container, one poller process), the releases and failures of
 * messages that are coming back. SQS counts every receive, and cannot carry anything on a
 * release; this is how a release stops costing the message one of its attempts. Bounded: the
 * oldest entries go first, and a message seen by another instance is simply not known here.
 */
export class RunLedger {
  readonly #entries = new Map<string, MessageHistory>();

  constructor(readonly capacity = 10_000) {}

  /** What this instance saw of the message, or nothing. */
  get(messageId: string): MessageHistory {
    return this.#entries.get(messageId) ?? NONE;
  }

  /** The message was released without running. */
  released(messageId: string): void {
    const seen = this.get(messageId);
    this.#set(messageId, { releases: seen.releases + 1, failures: seen.failures });
  }

  /** The message failed and will be retried. */
  failed(messageId: string): void {
    const seen = this.get(messageId);
    this.#set(messageId, { releases: seen.releases, failures: seen.failures + 1 });
  }

  /** The message reached a final outcome. */
  forget(messageId: string): void {
    this.#entries.delete(messageId);
  }

  /** Entries kept, for tests. */
  get size(): number {
    return this.#entries.size;
  }

  #set(messageId: string, history: MessageHistory): void {
    // Re-inserted, so that insertion order is recency order and eviction drops the oldest.
    this.#entries.delete(messageId);
    this.#entries.set(messageId, history);
    if (this.#entries.size > this.capacity) {
      const oldest = this.#entries.keys().next().value;
      if (oldest !== undefined) this.#entries.delete(oldest);
    }
  }
}
