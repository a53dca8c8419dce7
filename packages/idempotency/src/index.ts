export {
  createIdempotencyStore,
  type IdempotencyStore,
  type IdempotencyStoreOptions,
} from "./create-idempotency-store.js";
export {
  IdempotencyInProgressError,
  IdempotencyPayloadMismatchError,
  IdempotencyStoreError,
  InvalidIdempotencyKeyError,
  MalformedIdempotencyRecordError,
} from "./errors.js";
export { type IdempotentOptions, idempotent, type StoredResult } from "./idempotent.js";
export type { JsonValue } from "./internal/stored-result.js";
