import { JobError } from "./job-error.js";
// What the producer refuses: payloads, sizes, options, and batch items that were not sent.

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
