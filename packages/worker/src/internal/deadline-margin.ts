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
