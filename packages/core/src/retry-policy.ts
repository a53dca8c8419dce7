import { type Duration, toSeconds } from "./duration.js";
import { isJobError, type TransientJobError } from "./errors.js";

/** Exponential backoff with jitter. */
export interface BackoffOptions {
  /** Delay before the second attempt, before jitter. Default `1` second. */
  base?: Duration;
  /** Longest delay between two attempts. Default `"15m"`. */
  max?: Duration;
  /** `"full"` (default) picks a random delay between 0 and the exponential value, which spreads retries of many jobs that failed together; `"none"` uses the value as is. */
  jitter?: "full" | "none";
}

/** Seconds to wait after the failed `attempt` (1-based). */
export type BackoffFunction = (attempt: number) => number;

/**
 * How a job retries: a number of attempts, `false` for a single attempt whose failure is
 * dropped, or the full form.
 */
export type RetryOption =
  | number
  | false
  | {
      /** Attempts in all, the first included. Default 25. */
      maxAttempts?: number;
      backoff?: BackoffOptions | BackoffFunction;
      /** When attempts run out: `true` (default) moves the job to the dead-letter queue, `false` deletes it. */
      dead?: boolean;
    };

/** A resolved {@link RetryOption}. */
export interface RetryPolicy {
  readonly maxAttempts: number;
  readonly dead: boolean;
  readonly backoff: BackoffOptions | BackoffFunction;
}

/** Default attempts of a job: with the default backoff, retries spread over about 5 hours. */
export const DEFAULT_MAX_ATTEMPTS = 25;
/** SQS's longest visibility timeout (12 hours), and so the longest delay between attempts. */
export const MAX_VISIBILITY_TIMEOUT_SECONDS = 43_200;

const DEFAULT_BACKOFF: Required<BackoffOptions> = { base: 1, max: 900, jitter: "full" };

/**
 * Resolves a job's `retry` option to a policy.
 *
 * @example
 * resolveRetryPolicy(5);     // { maxAttempts: 5, dead: true, backoff: {} }
 * resolveRetryPolicy(false); // { maxAttempts: 1, dead: false, backoff: {} }
 */
export function resolveRetryPolicy(option?: RetryOption): RetryPolicy {
  if (option === undefined) return { maxAttempts: DEFAULT_MAX_ATTEMPTS, dead: true, backoff: {} };
  if (option === false) return { maxAttempts: 1, dead: false, backoff: {} };
  if (typeof option === "number")
    return { maxAttempts: checkAttempts(option), dead: true, backoff: {} };
  return {
    maxAttempts: checkAttempts(option.maxAttempts ?? DEFAULT_MAX_ATTEMPTS),
    dead: option.dead ?? true,
    backoff: checkBackoff(option.backoff ?? {}),
  };
}

// Fail at definition time: otherwise a typo surfaces only in the worker, on the first retry.
function checkBackoff(backoff: BackoffOptions | BackoffFunction): BackoffOptions | BackoffFunction {
  if (typeof backoff === "function") return backoff;
  if (backoff.base !== undefined) toSeconds(backoff.base);
  if (backoff.max !== undefined) toSeconds(backoff.max);
  if (backoff.jitter !== undefined && backoff.jitter !== "full" && backoff.jitter !== "none") {
    throw new RangeError(`backoff.jitter must be "full" or "none", got ${String(backoff.jitter)}`);
  }
  return backoff;
}

function checkAttempts(value: number): number {
  if (!Number.isInteger(value) || value < 1) {
    throw new RangeError(`maxAttempts must be an integer >= 1, got ${value}`);
  }
  return value;
}

/**
 * Seconds to wait after the failed `attempt` (1-based): exponential from `base`, capped at
 * `max`, with full jitter by default. Pure: pass `random` to make it deterministic.
 */
export function backoffDelaySeconds(
  policy: RetryPolicy,
  attempt: number,
  random: () => number = Math.random,
): number {
  if (typeof policy.backoff === "function") return clampDelay(policy.backoff(attempt));
  const base = toSeconds(policy.backoff.base ?? DEFAULT_BACKOFF.base);
  const max = toSeconds(policy.backoff.max ?? DEFAULT_BACKOFF.max);
  const exponential = Math.min(max, base * 2 ** Math.max(0, attempt - 1));
  const jitter = policy.backoff.jitter ?? DEFAULT_BACKOFF.jitter;
  return clampDelay(jitter === "full" ? random() * exponential : exponential);
}

/** What to do after a failed attempt. */
export type RetryDecision =
  | { readonly retry: true; readonly delaySeconds: number }
  | { readonly retry: false; readonly dead: boolean };

/**
 * Decides whether a failed attempt is retried and after how long. A {@link TransientJobError}'s
 * `retryAfter` overrides the backoff; a `PermanentJobError` is never retried.
 *
 * @example
 * // given: policy
 * decideRetry(policy, 3, new Error("timeout")); // { retry: true, delaySeconds: 2 }
 */
export function decideRetry(
  policy: RetryPolicy,
  attempt: number,
  error: unknown,
  random: () => number = Math.random,
): RetryDecision {
  if (isJobError(error, "PERMANENT")) return { retry: false, dead: true };
  if (attempt >= policy.maxAttempts) return { retry: false, dead: policy.dead };
  const retryAfter = isJobError(error, "TRANSIENT")
    ? (error as TransientJobError).retryAfter
    : undefined;
  const delaySeconds =
    retryAfter !== undefined
      ? clampDelay(retryAfter)
      : backoffDelaySeconds(policy, attempt, random);
  return { retry: true, delaySeconds };
}

function clampDelay(seconds: number): number {
  if (!Number.isFinite(seconds) || seconds <= 0) return 0;
  return Math.min(MAX_VISIBILITY_TIMEOUT_SECONDS, Math.ceil(seconds));
}
