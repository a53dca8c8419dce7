import { JobError } from "./job-error.js";
// Failures of the transport and of what it carries.

/** Why a message body is not a valid envelope. */
export type InvalidEnvelopeReason =
  | "not-json"
  | "not-object"
  | "unsupported-version"
  | "missing-name"
  | "missing-id"
  | "invalid-field"
  | "forbidden-key"
  | "invalid-signature";

/** A message body that is not a Glasswork envelope; it can never succeed. */
export class InvalidEnvelopeError extends JobError {
  readonly reason: InvalidEnvelopeReason;

  constructor(reason: InvalidEnvelopeReason, message: string, options?: { cause?: unknown }) {
    super("INVALID_ENVELOPE", `Invalid message envelope (${reason}): ${message}`, options);
    this.name = "InvalidEnvelopeError";
    this.reason = reason;
  }
}

/** A queue operation failed in the transport; `cause` is the transport's own error. */
export class QueueDriverError extends JobError {
  readonly queue: string;
  readonly operation: string;
  /** What went wrong, without the operation and queue that `message` starts with. */
  readonly detail: string;
  /** True when trying again later may succeed (throttling, a server fault). */
  readonly retryable: boolean;

  constructor(
    queue: string,
    operation: string,
    detail: string,
    options: { cause?: unknown; retryable?: boolean } = {},
  ) {
    super("QUEUE_DRIVER", `${operation} on queue "${queue}" failed: ${detail}`, {
      cause: options.cause,
    });
    this.name = "QueueDriverError";
    this.queue = queue;
    this.operation = operation;
    this.detail = detail;
    this.retryable = options.retryable ?? false;
  }
}

/** A message had to go to a dead-letter queue, but its queue has none. */
export class NoDeadLetterQueueError extends JobError {
  readonly queue: string;

  constructor(queue: string) {
    super(
      "NO_DEAD_LETTER_QUEUE",
      `Queue "${queue}" has no dead-letter queue: configure one (a RedrivePolicy, or the driver's deadLetterQueues option)`,
    );
    this.name = "NoDeadLetterQueueError";
    this.queue = queue;
  }
}
