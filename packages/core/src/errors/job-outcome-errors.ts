import { JobError } from "./job-error.js";
// What a handler throws to steer its retries, and what the worker makes of the last failure.

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
