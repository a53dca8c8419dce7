import { isRetryable } from "./scheduler-errors.js";

/** How {@link withBackoff} retries. */
export interface BackoffOptions {
  /** Attempts in all, the first included. */
  readonly maxAttempts: number;
  /** The first retry waits up to this long; each later one up to twice as long, capped at 20 s. */
  readonly baseDelayMs: number;
}

const MAX_DELAY_MS = 20_000;

/**
 * Runs `request` and, while it fails for a retryable reason (throttling above all: the
 * scheduler's request quotas are per account and region), runs it again after a full-jitter
 * exponential delay, so that many producers throttled at once spread out instead of retrying
 * together. The last error is thrown.
 */
export async function withBackoff<T>(
  request: () => Promise<T>,
  options: BackoffOptions,
): Promise<T> {
  for (let attempt = 1; ; attempt++) {
    try {
      return await request();
    } catch (error) {
      if (attempt >= options.maxAttempts || !isRetryable(error)) throw error;
      const cap = Math.min(MAX_DELAY_MS, options.baseDelayMs * 2 ** (attempt - 1));
      await new Promise((resolve) => setTimeout(resolve, Math.random() * cap));
    }
  }
}
