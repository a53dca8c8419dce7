import { type Duration, toSeconds } from "@glasswork/core";

/** The time source of a {@link MockQueueDriver}. */
export interface Clock {
  /** Epoch milliseconds. */
  now(): number;
}

/** The real clock. */
export const systemClock: Clock = { now: () => Date.now() };

/**
 * A clock that moves only when told to, so that visibility timeouts, delays and backoffs can
 * be tested without waiting.
 *
 * @example
 * const clock = new ManualClock();
 * const driver = new MockQueueDriver({ clock });
 * clock.advance("15m");
 */
export class ManualClock implements Clock {
  #now: number;
  readonly #listeners = new Set<() => void>();

  constructor(start: Date | number = Date.UTC(2026, 0, 1)) {
    this.#now = typeof start === "number" ? start : start.getTime();
  }

  now(): number {
    return this.#now;
  }

  /** Moves the clock forward by a duration (`"10m"`, or seconds). */
  advance(duration: Duration): void {
    this.#now += toSeconds(duration) * 1000;
    for (const listener of this.#listeners) listener();
  }

  /** Sets the clock to a date; it may not go back. */
  set(date: Date): void {
    if (date.getTime() < this.#now) throw new RangeError("ManualClock cannot go back in time");
    this.#now = date.getTime();
    for (const listener of this.#listeners) listener();
  }

  /** @internal called when time moves, so long polls can wake up. */
  onAdvance(listener: () => void): () => void {
    this.#listeners.add(listener);
    return () => this.#listeners.delete(listener);
  }
}
