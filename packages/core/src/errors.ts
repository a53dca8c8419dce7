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
  | "VALIDATOR_FAILED"
  | "DEADLINE"
  | "FIFO_GROUP_HELD_BACK"
  | "UNSUPPORTED_EVENT"
  | "DUPLICATE_JOB_NAME"
  | "REDRIVE_INCOMPLETE"
  | "CONFIRMATION_REQUIRED"
  | "INVALID_ENQUEUE_OPTIONS"
  | "JOB_EXPIRED";

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
 * // given: error
 * if (isJobError(error, "PERMANENT")) console.warn(error.code); // will not be retried
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

/**
 * What a worker instance knows of a message's past receives, for a truthful
 * {@link RetryExhaustedError}.
 */
export interface AttemptHistory {
  /** SQS's receive count, this receive included. */
  readonly receives: number;
  /** Receives this worker instance saw end in a failure, this one included. */
  readonly knownFailures: number;
}

/**
 * The job failed on its last allowed attempt. `cause` is the last failure. `attempts` counts
 * receives that were not releases without running (as far as this worker instance knows); the
 * message says exactly how many times the job failed when the worker knows, and the bounds when
 * it does not (receives on other instances may have been releases).
 */
export class RetryExhaustedError extends JobError {
  readonly jobName: string;
  readonly attempts: number;
  /** SQS's receive count, when it differs from `attempts` or is known. */
  readonly receives: number;
  /** Failures this worker instance saw: the job failed at least this many times. */
  readonly knownFailures: number;

  constructor(jobName: string, attempts: number, cause: unknown, history?: AttemptHistory) {
    const receives = history?.receives ?? attempts;
    const knownFailures = Math.min(attempts, history?.knownFailures ?? attempts);
    super("RETRY_EXHAUSTED", exhaustedMessage(jobName, attempts, receives, knownFailures), {
      cause,
    });
    this.name = "RetryExhaustedError";
    this.jobName = jobName;
    this.attempts = attempts;
    this.receives = receives;
    this.knownFailures = knownFailures;
  }
}

function exhaustedMessage(
  jobName: string,
  attempts: number,
  receives: number,
  knownFailures: number,
): string {
  const times = (n: number) => `${n} time${n === 1 ? "" : "s"}`;
  const released = receives - attempts;
  const releases =
    released > 0
      ? ` (received ${times(receives)}: ${released} of them ${released === 1 ? "was a release" : "were releases"} without running)`
      : "";
  if (knownFailures >= attempts) {
    return `Job "${jobName}" failed ${times(attempts)} and has no attempts left${releases}`;
  }
  return (
    `Job "${jobName}" failed at least ${times(knownFailures)} and at most ${times(attempts)} and has no attempts left` +
    `${releases}: SQS counts every receive, and this worker instance cannot tell another instance's releases from attempts`
  );
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

/**
 * The job's schema threw or rejected while validating (an async check that could not reach its
 * service, a bug in a refinement): a fault of the validator, not proof that the payload is
 * wrong. The worker retries it like any transient failure; `cause` is what the schema threw.
 */
export class ValidatorError extends JobError {
  readonly jobName: string;

  constructor(jobName: string, cause: unknown) {
    super("VALIDATOR_FAILED", `The schema of job "${jobName}" threw while validating`, { cause });
    this.name = "ValidatorError";
    this.jobName = jobName;
  }
}

/** Why a job's `ctx.signal` aborted: the invocation is about to run out of time. */
export class DeadlineError extends JobError {
  constructor(message = "the invocation deadline is near") {
    super("DEADLINE", message);
    this.name = "DeadlineError";
  }
}

/**
 * Why a FIFO record was released without running: an earlier message of its group failed in the
 * same batch, and running it would break the group's order.
 */
export class FifoGroupHeldBackError extends JobError {
  readonly groupId: string;

  constructor(groupId: string) {
    super(
      "FIFO_GROUP_HELD_BACK",
      `an earlier message of FIFO group "${groupId}" failed in this batch`,
    );
    this.name = "FifoGroupHeldBackError";
    this.groupId = groupId;
  }
}

/**
 * The worker was invoked with an event it does not handle: not an SQS batch nor a periodic
 * invocation. `eventSource` names what it is (`aws:s3`, `aws:sns`, `aws:dynamodb`…), when the
 * event says.
 */
export class UnsupportedEventError extends JobError {
  readonly eventSource: string | undefined;

  constructor(eventSource: string | undefined) {
    super(
      "UNSUPPORTED_EVENT",
      eventSource === undefined
        ? "The worker received an event that is neither an SQS event nor a periodic job invocation"
        : `The worker received an event from ${eventSource}, not from SQS: point only SQS event source mappings and periodic schedules at it`,
    );
    this.name = "UnsupportedEventError";
    this.eventSource = eventSource;
  }
}

/** Two job definitions given to one worker share a name, which is their wire identity. */
export class DuplicateJobNameError extends JobError {
  readonly jobName: string;

  constructor(jobName: string) {
    super("DUPLICATE_JOB_NAME", `Two jobs are named "${jobName}": job names must be unique`);
    this.name = "DuplicateJobNameError";
    this.jobName = jobName;
  }
}

/** The enqueue option that {@link InvalidEnqueueOptionsError} refused. */
export type EnqueueOptionName = "delay" | "at" | "id" | "group" | "meta" | "expiresIn";

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
