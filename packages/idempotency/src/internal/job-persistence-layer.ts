import { AsyncLocalStorage } from "node:async_hooks";
import { IdempotencyRecordStatus } from "@aws-lambda-powertools/idempotency";
import { DynamoDBPersistenceLayer } from "@aws-lambda-powertools/idempotency/dynamodb";
import type { IdempotencyRecord } from "@aws-lambda-powertools/idempotency/persistence";
import {
  ConditionalCheckFailedException,
  DeleteItemCommand,
  type DynamoDBClient,
  UpdateItemCommand,
} from "@aws-sdk/client-dynamodb";
import { marshall } from "@aws-sdk/util-dynamodb";
import { IdempotencyInProgressError, MalformedIdempotencyRecordError } from "../errors.js";

/** What the wrapper hands Powertools to hash: the key, and the part of the payload to compare. */
export interface HashedInput {
  readonly key: string;
  readonly check: unknown;
  // Powertools types its input as a JSON object.
  readonly [field: string]: unknown;
}

/** What one run knows about the lock it took. */
export interface RunState {
  /** The `in_progress_expiration` this run wrote, once its conditional put succeeded. */
  lockEndsAt: number | undefined;
  /** Set when the completion or release found the key taken by another delivery. */
  lostLock: boolean;
}

/**
 * Powertools' DynamoDB layer with three changes, each where Powertools falls short for jobs:
 *
 * - An existing record is checked where Powertools first sees it: its shape (Powertools would
 *   take a record with no expiry for a completed job and skip the run), and whether it is in
 *   progress (Powertools' error then carries neither the key nor when the lock ends, so the
 *   retry could not be timed).
 * - The completion and the release are conditional on the lock this run took (Powertools writes
 *   both unconditionally): a run that outlived its lock must not overwrite or delete the record
 *   of the delivery that took the key after it, or a third delivery could run at the same time.
 */
export class JobPersistenceLayer extends DynamoDBPersistenceLayer {
  readonly #now: () => number;
  readonly #dynamo: DynamoDBClient;
  readonly #table: string;
  readonly #runs = new AsyncLocalStorage<RunState>();

  constructor(options: { tableName: string; client: DynamoDBClient; now: () => number }) {
    super({ tableName: options.tableName, awsSdkV3Client: options.client });
    this.#now = options.now;
    this.#dynamo = options.client;
    this.#table = options.tableName;
  }

  /** Runs one idempotent call with its own state, so that its writes are tied to its lock. */
  run<T>(state: RunState, fn: () => Promise<T>): Promise<T> {
    return this.#runs.run(state, fn);
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

  protected override async _putRecord(record: IdempotencyRecord): Promise<void> {
    await super._putRecord(record);
    const state = this.#runs.getStore();
    if (state) state.lockEndsAt = record.inProgressExpiryTimestamp;
  }

  protected override async _updateRecord(record: IdempotencyRecord): Promise<void> {
    const state = this.#runs.getStore();
    if (state?.lockEndsAt === undefined) return super._updateRecord(record);
    // The same attributes Powertools' own update sets, plus the condition.
    const names: Record<string, string> = {
      "#expiry": "expiration",
      "#status": "status",
      "#lock": "in_progress_expiration",
    };
    const values: Record<string, unknown> = {
      ":expiry": record.expiryTimestamp,
      ":status": record.getStatus(),
      ":lock": state.lockEndsAt,
      ":inprogress": IdempotencyRecordStatus.INPROGRESS,
    };
    const set = ["#expiry = :expiry", "#status = :status"];
    if (record.responseData !== undefined) {
      set.push("#data = :data");
      names["#data"] = "data";
      values[":data"] = record.responseData;
    }
    if (this.isPayloadValidationEnabled()) {
      set.push("#validation = :validation");
      names["#validation"] = "validation";
      values[":validation"] = record.payloadHash;
    }
    await this.#whileLocked(state, () =>
      this.#dynamo.send(
        new UpdateItemCommand({
          TableName: this.#table,
          Key: this.getKey(record.idempotencyKey),
          UpdateExpression: `SET ${set.join(", ")}`,
          ConditionExpression: "#status = :inprogress AND #lock = :lock",
          ExpressionAttributeNames: names,
          ExpressionAttributeValues: marshall(values),
        }),
      ),
    );
  }

  protected override async _deleteRecord(record: IdempotencyRecord): Promise<void> {
    const state = this.#runs.getStore();
    if (state?.lockEndsAt === undefined) return super._deleteRecord(record);
    await this.#whileLocked(state, () =>
      this.#dynamo.send(
        new DeleteItemCommand({
          TableName: this.#table,
          Key: this.getKey(record.idempotencyKey),
          ConditionExpression: "#status = :inprogress AND #lock = :lock",
          ExpressionAttributeNames: { "#status": "status", "#lock": "in_progress_expiration" },
          ExpressionAttributeValues: marshall({
            ":inprogress": IdempotencyRecordStatus.INPROGRESS,
            ":lock": state.lockEndsAt,
          }),
        }),
      ),
    );
  }

  async #whileLocked(state: RunState, write: () => Promise<unknown>): Promise<void> {
    try {
      await write();
    } catch (error) {
      // Not an error of the store: the record is another delivery's now, and stays as it is.
      if (error instanceof ConditionalCheckFailedException) {
        state.lostLock = true;
        return;
      }
      throw error;
    }
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
