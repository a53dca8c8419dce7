import { PermanentJobError, TransientJobError } from "@glasswork/core";

/** Where a stored item lives: its partition and sort key. */
export interface ItemKey {
  readonly pk: string;
  readonly sk: string;
}

/**
 * A store (DynamoDB or S3) did not answer or failed. Transient: the job retries with backoff, and
 * every write the jobs make is conditional or idempotent, so the retry neither loses nor repeats
 * an effect.
 */
export class StoreUnavailableError extends TransientJobError {
  /** The operation that failed, e.g. `DynamoDB PutItem OUTBOX#job-1` or `S3 GetObject uploads/a.png`. */
  readonly operation: string;

  constructor(operation: string, cause: unknown) {
    super(`${operation} failed: ${describe(cause)}`, { cause });
    this.name = "StoreUnavailableError";
    this.operation = operation;
  }
}

/**
 * A stored item does not have the shape the app writes (edited by hand, or written by another
 * version). Permanent: retrying reads the same item; fix or delete it, then redrive the job.
 */
export class MalformedRecordError extends PermanentJobError {
  readonly key: ItemKey;

  constructor(key: ItemKey, problem: string) {
    super(`stored record ${key.pk} / ${key.sk} is malformed: ${problem}`);
    this.name = "MalformedRecordError";
    this.key = key;
  }
}

function describe(cause: unknown): string {
  if (cause instanceof Error) return `${cause.name}: ${cause.message}`;
  return String(cause);
}
