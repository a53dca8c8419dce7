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
