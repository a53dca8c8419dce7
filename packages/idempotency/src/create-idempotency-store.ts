import { DynamoDBClient } from "@aws-sdk/client-dynamodb";
import { JobPersistenceLayer } from "./internal/job-persistence-layer.js";

/** Options of {@link createIdempotencyStore}. */
export interface IdempotencyStoreOptions {
  /** The DynamoDB table: partition key `id` (string), TTL on `expiration`. */
  tableName: string;
  /** Your DynamoDB client (one per cold start). Default: `new DynamoDBClient({})`. */
  client?: DynamoDBClient;
}

/**
 * Where idempotency records live: a DynamoDB table. Share one store between jobs; each
 * {@link idempotent} handler gets its own Powertools persistence layer from it.
 */
export interface IdempotencyStore {
  readonly tableName: string;
  readonly client: DynamoDBClient;
  /** @internal a fresh persistence layer; Powertools binds a layer to the first config it sees. */
  createLayer(now: () => number): JobPersistenceLayer;
}

/**
 * Creates the store {@link idempotent} handlers keep their records in.
 *
 * @example
 * // given: DynamoDBClient
 * const store = createIdempotencyStore({
 *   tableName: process.env.IDEMPOTENCY_TABLE ?? "idempotency",
 *   client: new DynamoDBClient({}),
 * });
 */
export function createIdempotencyStore(options: IdempotencyStoreOptions): IdempotencyStore {
  if (typeof options.tableName !== "string" || options.tableName.length < 3) {
    throw new TypeError(
      `createIdempotencyStore needs a DynamoDB table name (3-255 characters), got ${JSON.stringify(options.tableName)}`,
    );
  }
  const tableName = options.tableName;
  const client = options.client ?? new DynamoDBClient({});
  return Object.freeze({
    tableName,
    client,
    createLayer: (now: () => number) => new JobPersistenceLayer({ tableName, client, now }),
  });
}
