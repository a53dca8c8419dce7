import type { EnqueueItemResult } from "./errors.js";

/** A job about to be sent. Hooks may add entries to `meta` (e.g. trace context). */
export interface EnqueueingJob {
  readonly jobName: string;
  readonly jobId: string;
  /** Logical queue name. */
  readonly queue: string;
  /** The payload as enqueued. Treat it as read-only, and beware of personal data. */
  readonly payload: unknown;
  /** Native delay of the message, in seconds. */
  readonly delaySeconds: number;
  /** When the job is due, if later than the transport can delay. */
  readonly runAt: Date | undefined;
  /** When the job expires (`expiresIn` or the job's `expiresAfter`), if it does. */
  readonly expiresAt?: Date | undefined;
  /** The envelope's string map, written to the wire after the hooks ran. */
  readonly meta: Record<string, string>;
}

/** A job that was sent. */
export interface EnqueuedJob {
  readonly jobId: string;
  readonly jobName: string;
  readonly queue: string;
  /** The transport's message id. */
  readonly messageId: string;
  readonly delaySeconds: number;
  readonly runAt: Date | undefined;
}

/**
 * One `enqueue…` call, as hooks see it. The same object is passed to `onEnqueue` and
 * `onEnqueued`, so a hook can keep per-call state in a `WeakMap` keyed by it.
 */
export interface EnqueueEvent {
  readonly operation: "enqueue" | "enqueueBatch";
  /** The jobs that passed validation, in input order. */
  readonly jobs: readonly EnqueueingJob[];
}

/**
 * Hooks around sending. `onEnqueue` hooks run in order before the envelopes are encoded;
 * `onEnqueued` hooks run in reverse order after the transport answered. A hook that throws is
 * logged and does not change what is sent.
 */
export interface ProducerHooks {
  onEnqueue?(event: EnqueueEvent): void | Promise<void>;
  /** `results` holds one entry per job of `event.jobs`, in the same order. */
  onEnqueued?(
    event: EnqueueEvent,
    results: readonly EnqueueItemResult<EnqueuedJob>[],
  ): void | Promise<void>;
}
