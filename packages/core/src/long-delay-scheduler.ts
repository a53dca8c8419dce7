import type { OutgoingMessage, SendResult } from "./queue-driver.js";

/** A job due later than the transport can delay, handed to a {@link LongDelayScheduler}. */
export interface LongDelayedMessage {
  /** The job id: the scheduler keys the pending job by it, for `cancel`. */
  readonly jobId: string;
  /** When the message must reach the queue. */
  readonly runAt: Date;
  /** The message to deliver then, exactly as the driver would send it (no `delaySeconds`). */
  readonly message: OutgoingMessage;
}

/**
 * What {@link LongDelayScheduler.cancel} found:
 * - `"cancelled"`: the job was waiting and will not run;
 * - `"already-fired"`: its time had come, the message is (being) delivered and the job runs;
 * - `"not-found"`: nothing waits under this id — it was cancelled before, it fired and the
 *   scheduler cleaned up, or it never went through the scheduler. Jobs whose delay fits the
 *   transport (SQS: 15 minutes or less) are sent straight to the queue and cannot be cancelled.
 */
export type CancelResult = "cancelled" | "already-fired" | "not-found";

/**
 * Holds jobs due later than the driver's `maxDelaySeconds` and delivers them to the queue when
 * due (e.g. `@glasswork/scheduler-eventbridge`). `JobService` uses one through its `longDelays`
 * option; without it, long delays are relayed through the queue and cannot be cancelled.
 */
export interface LongDelayScheduler {
  /**
   * Schedules the messages. Resolves with one result per message, in order (`messageId` is the
   * scheduler's id of the pending delivery); it rejects only when nothing could be attempted.
   */
  schedule(messages: readonly LongDelayedMessage[]): Promise<SendResult[]>;
  /** Cancels a pending job by its id. Idempotent. */
  cancel(jobId: string): Promise<CancelResult>;
}
