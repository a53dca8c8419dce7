import { IdempotencyRecordStatus } from "@aws-lambda-powertools/idempotency";
import { DynamoDBPersistenceLayer } from "@aws-lambda-powertools/idempotency/dynamodb";
import type { IdempotencyRecord } from "@aws-lambda-powertools/idempotency/persistence";
import type { DynamoDBClient } from "@aws-sdk/client-dynamodb";
import { IdempotencyInProgressError, MalformedIdempotencyRecordError } from "../errors.js";

/** What the wrapper hands Powertools to hash: the key, and the part of the payload to compare. */
export interface HashedInput {
  readonly key: string;
  readonly check: unknown;
  // Powertools types its input as a JSON object.
  readonly [field: string]: unknown;
}

/**
 * Powertools' DynamoDB layer plus two checks on a record that already exists, made where
 * Powertools first sees it: the record's shape (Powertools would take an unknown shape for a
 * completed job and skip the run), and an in-progress record (Powertools throws an error that
 * carries neither the key nor when the lock ends, so the retry could not be timed).
 */
export class JobPersistenceLayer extends DynamoDBPersistenceLayer {
  readonly #now: () => number;

  constructor(options: { tableName: string; client: DynamoDBClient; now: () => number }) {
    super({ tableName: options.tableName, awsSdkV3Client: options.client });
    this.#now = options.now;
  }

  override processExistingRecord(
    storedDataRecord: IdempotencyRecord,
    processedData: Parameters<DynamoDBPersistenceLayer["processExistingRecord"]>[1],
  ): IdempotencyRecord {
    const key = String((processedData as unknown as HashedInput).key);
    const problem = findProblem(storedDataRecord);
    if (problem !== undefined) {
      throw new MalformedIdempotencyRecordError(
        key,
        String(storedDataRecord.idempotencyKey),
        problem,
      );
    }
    const record = super.processExistingRecord(storedDataRecord, processedData);
    if (record.getStatus() === IdempotencyRecordStatus.INPROGRESS) {
      const lockEndsAt = record.inProgressExpiryTimestamp;
      const retryAfter =
        lockEndsAt === undefined
          ? undefined
          : Math.max(1, Math.ceil((lockEndsAt - this.#now()) / 1000));
      throw new IdempotencyInProgressError(key, retryAfter);
    }
    return record;
  }
}

const STATUSES: readonly unknown[] = [
  IdempotencyRecordStatus.INPROGRESS,
  IdempotencyRecordStatus.COMPLETED,
];

function findProblem(record: IdempotencyRecord): string | undefined {
  // `status` is private in Powertools' types but is the stored attribute as read.
  const status = (record as unknown as { status: unknown }).status;
  if (!STATUSES.includes(status)) {
    return `status is ${describe(status)}, expected "INPROGRESS" or "COMPLETED"`;
  }
  if (!isFiniteNumber(record.expiryTimestamp)) {
    return `"expiration" is ${describe(record.expiryTimestamp)}, expected epoch seconds`;
  }
  const lock = record.inProgressExpiryTimestamp;
  if (lock !== undefined && !isFiniteNumber(lock)) {
    return `"in_progress_expiration" is ${describe(lock)}, expected epoch milliseconds`;
  }
  if (record.payloadHash !== undefined && typeof record.payloadHash !== "string") {
    return `"validation" is ${describe(record.payloadHash)}, expected a string`;
  }
  return undefined;
}

function isFiniteNumber(value: unknown): value is number {
  return typeof value === "number" && Number.isFinite(value);
}

function describe(value: unknown): string {
  if (value === undefined) return "missing";
  return `${typeof value} ${JSON.stringify(value)?.slice(0, 60)}`;
}
