/** Spaces out work to at most `perSecond` units a second (no limit when undefined). */
export class RateLimiter {
  readonly #intervalMs: number;
  #nextAt = 0;

  constructor(perSecond: number | undefined) {
    if (perSecond !== undefined && !(perSecond > 0)) {
      throw new RangeError(
        `The rate must be a positive number of messages per second, got ${perSecond}`,
      );
    }
    this.#intervalMs = perSecond === undefined ? 0 : 1000 / perSecond;
  }

  /** Resolves when `units` more may start. */
  async take(units: number): Promise<void> {
    if (this.#intervalMs === 0 || units === 0) return;
    const now = Date.now();
    const at = Math.max(now, this.#nextAt);
    this.#nextAt = at + units * this.#intervalMs;
    if (at > now) await new Promise((resolve) => setTimeout(resolve, at - now));
  }
}
