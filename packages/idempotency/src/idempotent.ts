import { IdempotencyConfig, makeIdempotent } from "@aws-lambda-powertools/idempotency";
import { type Duration, isJobError, type JobContext, toSeconds } from "@glasswork/core";
import type { IdempotencyStore } from "./create-idempotency-store.js";
import {
  IdempotencyPayloadMismatchError,
  IdempotencyStoreError,
  InvalidIdempotencyKeyError,
} from "./errors.js";
import type {
  HashedInput,
  JobPersistenceLayer,
  RunState,
} from "./internal/job-persistence-layer.js";
import { type JsonValue, toStoredResult } from "./internal/stored-result.js";

/** What an idempotent handler may return: it is stored as JSON and returned again on a replay. */
// biome-ignore lint/suspicious/noConfusingVoidType: a handler with no `return` returns `void`.
export type StoredResult = JsonValue | undefined | void;

/** Options of {@link idempotent}. */
export interface IdempotentOptions<Payload> {
  /** Where records live, from {@link createIdempotencyStore}. */
  store: IdempotencyStore;
  /**
   * The idempotency key. Default `ctx.jobId` (stable across retries and redeliveries, and
   * shared by enqueues with the same `unique.key`). Use a business key such as
   * `(p) => p.orderId` when the same work can arrive as different jobs.
   */
  key?: (payload: Payload, ctx: JobContext) => string;
  /** Namespace of the key, so two jobs can use the same business key. Default `ctx.jobName`. */
  keyPrefix?: string;
  /** How long a completed job's record stops repeats. Default `"24h"`. */
  expiresAfter?: Duration;
  /**
   * How long a running job holds its key. A worker that dies mid-job leaves its record
   * in progress; after this, the next delivery runs. Keep it at least as long as a handler can
   * run (the function's timeout). Default `"15m"`, Lambda's maximum timeout.
   */
  lockTimeout?: Duration;
  /**
   * Compare the payload of a repeat with the one recorded for its key; a different one is an
   * {@link IdempotencyPayloadMismatchError}. `true` (default) compares the whole payload, a
   * function compares what it returns, `false` does not compare.
   */
  validatePayload?: boolean | ((payload: Payload) => unknown);
}

const DEFAULT_EXPIRES_AFTER: Duration = "24h";
const DEFAULT_LOCK_TIMEOUT: Duration = "15m";

type LambdaContextLike = NonNullable<
  ConstructorParameters<typeof IdempotencyConfig>[0]["lambdaContext"]
>;

/**
 * Makes a job handler run once per idempotency key, on Powertools for AWS Lambda idempotency
 * with its DynamoDB persistence layer. A repeat of a completed job resolves with the stored
 * result without running; a repeat while it runs fails with a transient
 * {@link IdempotencyInProgressError} (the worker retries it later); a handler that throws
 * releases the key, so the retry runs.
 *
 * @example
 * // given: paymentServices, DynamoDBClient, defineJob, v
 * const store = createIdempotencyStore({ tableName: "idempotency", client: new DynamoDBClient({}) });
 *
 * export const chargeOrder = defineJob({
 *   name: "charge-order",
 *   schema: v.object({ orderId: v.string(), cents: v.number() }),
 *   handler: idempotent(
 *     async ({ orderId, cents }, ctx) => {
 *       await ctx.services.payments.charge(orderId, cents);
 *     },
 *     { store, key: (p) => p.orderId, expiresAfter: "7d" },
 *   ),
 * });
 */
export function idempotent<Payload, Result extends StoredResult = void>(
  handler: (payload: Payload, ctx: JobContext) => Result | Promise<Result>,
  options: IdempotentOptions<Payload>,
): (payload: Payload, ctx: JobContext) => Promise<Result | undefined> {
  const expiresAfterSeconds = Math.ceil(toSeconds(options.expiresAfter ?? DEFAULT_EXPIRES_AFTER));
  const lockMs = toSeconds(options.lockTimeout ?? DEFAULT_LOCK_TIMEOUT) * 1000;
  if (expiresAfterSeconds < 1) throw new RangeError("expiresAfter must be at least 1 second");
  if (lockMs < 1) throw new RangeError("lockTimeout must be more than 0");
  const validate = options.validatePayload ?? true;
  // Powertools sets the in-progress lock from the Lambda context's remaining time; a job gets
  // its own lock instead, the same for every run.
  const lockContext = { getRemainingTimeInMillis: () => lockMs } as unknown as LambdaContextLike;
  const config = new IdempotencyConfig({
    eventKeyJmesPath: "key",
    ...(validate === false ? {} : { payloadValidationJmesPath: "check" }),
    throwOnNoIdempotencyKey: true,
    expiresAfterSeconds,
    lambdaContext: lockContext,
  });
  // One layer per key prefix: Powertools keeps the prefix on the layer, and a layer shared by
  // concurrent runs of different jobs would write one job's record under another's prefix.
  const layers = new Map<string, JobPersistenceLayer>();
  const layerFor = (prefix: string): JobPersistenceLayer => {
    let layer = layers.get(prefix);
    if (!layer) {
      layer = options.store.createLayer(Date.now);
      layers.set(prefix, layer);
    }
    return layer;
  };

  return async (payload, ctx) => {
    const key = keyOf(options, payload, ctx);
    const prefix = options.keyPrefix ?? ctx.jobName;
    const input: HashedInput = {
      key,
      check: typeof validate === "function" ? validate(payload) : validate ? payload : null,
    };
    let failure: { error: unknown } | undefined;
    let ran = false;
    // The wrapped function takes only `input`: Powertools inspects a second argument for a
    // Lambda context or a durable-execution replay flag, and that must never be user data.
    const layer = layerFor(prefix);
    const state: RunState = { lockEndsAt: undefined, lostLock: false };
    const run = makeIdempotent(
      async (_input: HashedInput) => {
        let result: Result;
        try {
          result = await handler(payload, ctx);
        } catch (error) {
          failure = { error };
          throw error;
        }
        ran = true;
        return toStoredResult(result, (reason) =>
          ctx.logger.warn(
            { idempotencyKey: key },
            `the job's result is not stored because ${reason}; a repeat resolves with undefined`,
          ),
        );
      },
      { persistenceStore: layer, config, keyPrefix: prefix },
    );
    const warnIfLockLost = () => {
      if (state.lostLock) {
        ctx.logger.warn(
          { idempotencyKey: key },
          "the job ran longer than its lockTimeout and another delivery took the key; its record was left to that delivery",
        );
      }
    };
    try {
      const result = (await layer.run(state, () => run(input))) as Result | undefined;
      warnIfLockLost();
      return result;
    } catch (error) {
      warnIfLockLost();
      if (failure) {
        if (failure.error !== error) {
          ctx.logger.warn(
            { err: error, idempotencyKey: key },
            "the job failed and its idempotency key could not be released; it stays locked until lockTimeout",
          );
        }
        throw failure.error;
      }
      if (isJobError(error)) throw error;
      if (error instanceof Error && error.name === "IdempotencyValidationError") {
        throw new IdempotencyPayloadMismatchError(key, { cause: error });
      }
      throw new IdempotencyStoreError(
        key,
        ran
          ? `the job ran but its completion could not be recorded (${rootMessage(error)}); ` +
              "the key stays locked until lockTimeout, after which the job may run again"
          : `${rootMessage(error)}; the job did not run`,
        { cause: error },
      );
    }
  };
}

function keyOf<Payload>(
  options: IdempotentOptions<Payload>,
  payload: Payload,
  ctx: JobContext,
): string {
  if (!options.key) return ctx.jobId;
  let key: unknown;
  try {
    key = options.key(payload, ctx);
  } catch (error) {
    throw new InvalidIdempotencyKeyError(
      ctx.jobName,
      `the key function threw: ${rootMessage(error)}`,
      {
        cause: error,
      },
    );
  }
  if (typeof key !== "string" || key.length === 0) {
    throw new InvalidIdempotencyKeyError(
      ctx.jobName,
      `the key function returned ${key === "" ? "an empty string" : typeof key}, expected a non-empty string`,
    );
  }
  return key;
}

function rootMessage(error: unknown): string {
  let current = error;
  while (current instanceof Error && current.cause !== undefined) current = current.cause;
  return current instanceof Error ? `${current.name}: ${current.message}` : String(current);
}
