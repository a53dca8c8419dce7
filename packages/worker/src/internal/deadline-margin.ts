/** The share of an invocation's time the margin may take at most, when the function is short. */
export const MAX_MARGIN_SHARE = 1 / 3;

/**
 * The margin an invocation actually uses: the configured one, but never more than a third of
 * the time available. A fixed 3 s margin inside Lambda's default 3 s timeout would start no
 * record at all; scaled, a 3 s function keeps 2 s for its jobs.
 */
export function deadlineMarginMs(remainingMs: number, configuredMarginMs: number): number {
  if (!Number.isFinite(remainingMs)) return configuredMarginMs;
  return Math.min(configuredMarginMs, Math.max(0, remainingMs) * MAX_MARGIN_SHARE);
}

/**
 * The share of an invocation's time one hook may wait at most. Like the margin, the configured
 * `hookTimeoutMs` is a cap: a fixed 2 s inside a 3 s function would let one hung before-hook
 * take the whole time the job has (2 s before the margin), so a short job that would have
 * completed is retried on every invocation.
 */
export const MAX_HOOK_TIMEOUT_SHARE = 1 / 6;

/** The hook timeout an invocation with `remainingMs` at its start actually uses. */
export function hookTimeoutCapMs(remainingMs: number, configuredHookTimeoutMs: number): number {
  if (!Number.isFinite(remainingMs)) return configuredHookTimeoutMs;
  return Math.min(configuredHookTimeoutMs, Math.max(0, remainingMs) * MAX_HOOK_TIMEOUT_SHARE);
}
