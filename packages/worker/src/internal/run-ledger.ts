import type { DeadLetterReason, JobEnvelope, JobExecution } from "@glasswork/core";
import type { JobDeadLetterTarget } from "./run-job-dead-letter.js";

/** A dead-lettering that was decided but whose move failed: retried on the next receive. */
export interface PendingDeadLetter {
  readonly reason: DeadLetterReason;
  readonly error: unknown;
  /** The attempt that decided it (what the DLQ message says). */
  readonly attempt: number;
  /** The envelope, when it was read. */
  readonly envelope: JobEnvelope | undefined;
  /** For the hooks, when there are hooks and the envelope was read. */
  readonly execution: JobExecution | undefined;
  /** The job whose `onDeadLetter` runs once the move succeeds. */
  readonly target: JobDeadLetterTarget | undefined;
}

/** What a worker instance saw of one message before this receive. */
export interface MessageHistory {
  /** Receives that ended in a release without running (deadline, behind a failed FIFO message). */
  readonly releases: number;
  /** Receives that ended in a failure that was retried. */
  readonly failures: number;
  /** Set when the message's outcome is already decided — dead-letter — but the move failed. */
  readonly deadLetter?: PendingDeadLetter | undefined;
}

const NONE: MessageHistory = { releases: 0, failures: 0, deadLetter: undefined };

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
    // Mostly empty: no lookup (and no hashing of a fresh message id) per record then.
    if (this.#entries.size === 0) return NONE;
    return this.#entries.get(messageId) ?? NONE;
  }

  /** The message was released without running. */
  released(messageId: string): void {
    const seen = this.get(messageId);
    this.#set(messageId, { ...seen, releases: seen.releases + 1 });
  }

  /** The message failed and will be retried. */
  failed(messageId: string): void {
    const seen = this.get(messageId);
    this.#set(messageId, { ...seen, failures: seen.failures + 1 });
  }

  /**
   * The message is to be dead-lettered but its move failed: its next receive in this instance
   * retries the move instead of running the job again (a second charge, a second e-mail).
   */
  deadLetterPending(messageId: string, deadLetter: PendingDeadLetter): void {
    this.#set(messageId, { ...this.get(messageId), deadLetter });
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
