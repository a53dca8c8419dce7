/** The longest delay `setTimeout` honours (2³¹−1 ms, about 24.8 days); longer ones fire at once. */
export const MAX_TIMER_DELAY_MS = 2 ** 31 - 1;

/**
 * A delay that `setTimeout` accepts: at most {@link MAX_TIMER_DELAY_MS}, at least 0, and 0
 * for `NaN`. A clamped timer fires late rather than at once; callers that need the exact time
 * re-arm (see `Deadline`).
 */
export function timerDelay(ms: number): number {
  if (!(ms > 0)) return 0;
  return Math.min(ms, MAX_TIMER_DELAY_MS);
}
