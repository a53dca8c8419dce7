import type { DeadLetterReason } from "@glasswork/core";

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
  /** `max-receive-count` when the queue's redrive policy moved it (the message then carries no reason). */
  readonly reason: DeadLetterReason;
  readonly error: string | undefined;
  readonly attempt: number;
  readonly body: string;
  /** From the envelope, when the body is one. */
  readonly jobName: string | undefined;
  readonly payload: unknown;
}
