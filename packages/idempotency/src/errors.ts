import { PermanentJobError, TransientJobError } from "@glasswork/core";

/**
 * Another delivery of the same job holds the idempotency key and has not finished. Transient:
 * the worker retries this delivery after `retryAfter` (when the other run's lock expires), and
 * by then the job has either completed (this delivery succeeds without running) or released
 * the key (this delivery runs).
 */
export class IdempotencyInProgressError extends TransientJobError {
  /** The key as the job computed it (before hashing). */
  readonly idempotencyKey: string;

  constructor(idempotencyKey: string, retryAfter: number | undefined) {
    super(
      `Job with idempotency key "${idempotencyKey}" is already running in another delivery; this one will retry`,
      retryAfter === undefined ? {} : { retryAfter },
    );
    this.name = "IdempotencyInProgressError";
    this.idempotencyKey = idempotencyKey;
  }
}

/**
 * The idempotency store (DynamoDB) could not be read or written. Transient: the job retries,
 * and its record decides on the next delivery whether it runs.
 */
export class IdempotencyStoreError extends TransientJobError {
  readonly idempotencyKey: string;

  constructor(idempotencyKey: string, message: string, options: { cause?: unknown } = {}) {
    super(`Idempotency store failed for key "${idempotencyKey}": ${message}`, options);
    this.name = "IdempotencyStoreError";
    this.idempotencyKey = idempotencyKey;
  }
}

/**
 * A job with this idempotency key was already recorded with a different payload. Permanent
 * (dead-lettered): running it would either repeat the work or silently drop the new payload,
 * and only a person can tell which was meant.
 */
export class IdempotencyPayloadMismatchError extends PermanentJobError {
  readonly idempotencyKey: string;

  constructor(idempotencyKey: string, options: { cause?: unknown } = {}) {
    super(
      `Idempotency key "${idempotencyKey}" was already used with a different payload; ` +
        "give distinct jobs distinct keys, or delete the stored record to run it again",
      options,
    );
    this.name = "IdempotencyPayloadMismatchError";
    this.idempotencyKey = idempotencyKey;
  }
}

/**
 * The stored record for a key is not one this package (or Powertools) writes: an unknown
 * status, a missing or non-numeric expiry. Permanent (dead-lettered): it will not fix itself;
 * delete or repair the item, then redrive the job.
 */
export class MalformedIdempotencyRecordError extends PermanentJobError {
  readonly idempotencyKey: string;
  /** The item's partition key in the table (`<prefix>#<hash>`). */
  readonly recordId: string;

  constructor(idempotencyKey: string, recordId: string, problem: string) {
    super(
      `Malformed idempotency record for key "${idempotencyKey}" (item id "${recordId}"): ${problem}; ` +
        "delete or repair the item, then redrive the job",
    );
    this.name = "MalformedIdempotencyRecordError";
    this.idempotencyKey = idempotencyKey;
    this.recordId = recordId;
  }
}

/**
 * The `key` option returned something other than a non-empty string. Permanent: the same
 * payload will produce the same key on every attempt.
 */
export class InvalidIdempotencyKeyError extends PermanentJobError {
  constructor(jobName: string, detail: string, options: { cause?: unknown } = {}) {
    super(`Job "${jobName}" has no usable idempotency key: ${detail}`, options);
    this.name = "InvalidIdempotencyKeyError";
  }
}
