/** Machine-readable code carried by every {@link JobError}. */
export type JobErrorCode =
  | "TRANSIENT"
  | "PERMANENT"
  | "INVALID_PAYLOAD"
  | "PAYLOAD_TOO_LARGE"
  | "RETRY_EXHAUSTED"
  | "ENQUEUE_BATCH_FAILED"
  | "UNKNOWN_JOB"
  | "INVALID_ENVELOPE"
  | "QUEUE_DRIVER"
  | "NO_DEAD_LETTER_QUEUE"
  | "REDRIVE_INCOMPLETE"
  | "CONFIRMATION_REQUIRED"
  | "INVALID_ENQUEUE_OPTIONS";

// A registered symbol survives duplicate copies of this package in node_modules,
// where `instanceof` would fail.
const JOB_ERROR = Symbol.for("@glasswork/core/JobError");

/**
 * Base class of every error thrown by Glasswork. Check with {@link isJobError}, not
 * `instanceof`, when more than one copy of the package may be installed.
 */
export class JobError extends Error {
  /** Stable machine-readable code. */
  readonly code: JobErrorCode;
  /** @internal brand checked by {@link isJobError}. */
  readonly [JOB_ERROR] = true;

  constructor(code: JobErrorCode, message: string, options?: { cause?: unknown }) {
    // `{ cause: undefined }` would still create an own `cause` property.
    super(message, options?.cause === undefined ? undefined : { cause: options.cause });
    this.name = "JobError";
    this.code = code;
  }
}

/**
 * True when `value` is a {@link JobError} from any copy of `@glasswork/core`, optionally
 * with the given code.
 *
 * @example
 * if (isJobError(error, "PERMANENT")) { … }
 */
export function isJobError(value: unknown, code?: JobErrorCode): value is JobError {
  if (typeof value !== "object" || value === null) return false;
  if ((value as { [JOB_ERROR]?: unknown })[JOB_ERROR] !== true) return false;
  return code === undefined || (value as JobError).code === code;
}

/** Options of {@link TransientJobError}. */
export interface TransientJobErrorOptions {
  /** Seconds to wait before the next attempt; overrides the job's backoff. */
  retryAfter?: number;
  cause?: unknown;
}

/**
 * A failure that may succeed later (a timeout, a 503, a lock). The job is retried with
 * backoff, or after `retryAfter` seconds, while attempts remain. Any other error that is not
 * a {@link PermanentJobError} is treated the same way.
 */
export class TransientJobError extends JobError {
  /** Seconds to wait before the next attempt, when the failure knows it (e.g. `Retry-After`). */
  readonly retryAfter: number | undefined;

  constructor(message: string, options: TransientJobErrorOptions = {}) {
    super("TRANSIENT", message, { cause: options.cause });
    this.name = "TransientJobError";
    if (
      options.retryAfter !== undefined &&
      !(Number.isFinite(options.retryAfter) && options.retryAfter >= 0)
    ) {
      throw new RangeError(
        `retryAfter must be a finite number of seconds >= 0, got ${options.retryAfter}`,
      );
    }
    this.retryAfter = options.retryAfter;
  }
}

/**
 * A failure that can never succeed (the user was deleted, the input is wrong). The job is not
 * retried: it goes to the dead-letter queue at once.
 */
export class PermanentJobError extends JobError {
  constructor(message: string, options?: { cause?: unknown }) {
    super("PERMANENT", message, options);
    this.name = "PermanentJobError";
  }
}

/** One problem found in a payload. `path` is the list of keys from the payload's root. */
export interface PayloadIssue {
  readonly message: string;
  readonly path?: readonly PropertyKey[];
}

/** The payload does not match the job's schema, or cannot be represented as JSON. */
export class InvalidJobPayloadError extends JobError {
  readonly jobName: string;
  readonly issues: readonly PayloadIssue[];

  constructor(jobName: string, issues: readonly PayloadIssue[]) {
    const details = issues.map(formatIssue).join("; ");
    super("INVALID_PAYLOAD", `Invalid payload for job "${jobName}": ${details}`);
    this.name = "InvalidJobPayloadError";
    this.jobName = jobName;
    this.issues = issues;
  }
}

function formatIssue(issue: PayloadIssue): string {
  if (!issue.path || issue.path.length === 0) return issue.message;
  return `${issue.path.map(String).join(".")}: ${issue.message}`;
}

/** The encoded message is larger than the queue accepts. */
export class PayloadTooLargeError extends JobError {
  readonly jobName: string;
  /** Size of the whole message in bytes, as SQS counts it (body and attributes). */
  readonly size: number;
  readonly limit: number;

  constructor(jobName: string, size: number, limit: number) {
    super(
      "PAYLOAD_TOO_LARGE",
      `Job "${jobName}" is ${size} bytes, over the queue's limit of ${limit} bytes. ` +
        "Pass IDs in the payload and load the data in the handler instead of sending the data itself.",
    );
    this.name = "PayloadTooLargeError";
    this.jobName = jobName;
    this.size = size;
    this.limit = limit;
  }
}

/** The job failed on its last allowed attempt. `cause` is the last failure. */
export class RetryExhaustedError extends JobError {
  readonly jobName: string;
  readonly attempts: number;

  constructor(jobName: string, attempts: number, cause: unknown) {
    super(
      "RETRY_EXHAUSTED",
      `Job "${jobName}" failed ${attempts} time${attempts === 1 ? "" : "s"} and has no attempts left`,
      { cause },
    );
    this.name = "RetryExhaustedError";
    this.jobName = jobName;
    this.attempts = attempts;
  }
}

/** No job with this name is registered with the worker (often a deploy skew). */
export class UnknownJobError extends JobError {
  readonly jobName: string;

  constructor(jobName: string) {
    super("UNKNOWN_JOB", `No job named "${jobName}" is registered with this worker`);
    this.name = "UnknownJobError";
    this.jobName = jobName;
  }
}

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

/** The outcome of one item of {@link JobService.enqueueBatch}. */
export type EnqueueItemResult<T> =
  | { readonly ok: true; readonly index: number; readonly value: T }
  | { readonly ok: false; readonly index: number; readonly error: Error };

/**
 * Some items of an `enqueueBatch` call could not be sent. `results` holds one entry per input
 * item, in input order; nothing was dropped silently.
 */
export class EnqueueBatchError<T = unknown> extends JobError {
  readonly results: readonly EnqueueItemResult<T>[];

  constructor(results: readonly EnqueueItemResult<T>[]) {
    const failed = results.filter((r) => !r.ok);
    const first = failed[0];
    const firstMessage =
      first && !first.ok ? ` First failure (item ${first.index}): ${first.error.message}` : "";
    super(
      "ENQUEUE_BATCH_FAILED",
      `${failed.length} of ${results.length} jobs could not be enqueued.${firstMessage}`,
    );
    this.name = "EnqueueBatchError";
    this.results = results;
  }

  /** The items that were sent. */
  get succeeded(): Extract<EnqueueItemResult<T>, { ok: true }>[] {
    return this.results.filter((r): r is Extract<EnqueueItemResult<T>, { ok: true }> => r.ok);
  }

  /** The items that were not sent, each with its error. */
  get failed(): Extract<EnqueueItemResult<T>, { ok: false }>[] {
    return this.results.filter((r): r is Extract<EnqueueItemResult<T>, { ok: false }> => !r.ok);
  }
}

/** The enqueue option that {@link InvalidEnqueueOptionsError} refused. */
export type EnqueueOptionName = "delay" | "at" | "id" | "group" | "meta";

/**
 * An `enqueue…` call's options cannot be sent: a delay or date out of range, a job or group id
 * SQS would refuse, a bad `meta` entry. Nothing was sent for the job.
 */
export class InvalidEnqueueOptionsError extends JobError {
  readonly jobName: string;
  readonly option: EnqueueOptionName;

  constructor(
    jobName: string,
    option: EnqueueOptionName,
    message: string,
    options?: { cause?: unknown },
  ) {
    super("INVALID_ENQUEUE_OPTIONS", `Job "${jobName}": ${message}`, options);
    this.name = "InvalidEnqueueOptionsError";
    this.jobName = jobName;
    this.option = option;
  }
}
