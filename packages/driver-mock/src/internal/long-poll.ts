/**
 * Wakes waiting receives when the queues change (a send, a release, a move) or time moves.
 * The wait itself is in real time: it is how long a caller is willing to block, not queue state,
 * which always follows the driver's clock.
 */
export class LongPoll {
  readonly #waiters = new Set<() => void>();

  /** Ends every wait now. */
  wake(): void {
    for (const waiter of [...this.#waiters]) waiter();
  }

  /**
   * Resolves after `maxMs`, on {@link wake}, or when `signal` aborts, whichever comes first.
   * `pollMs` wakes it earlier, for a clock on which messages become visible by themselves.
   */
  wait(maxMs: number, signal: AbortSignal | undefined, pollMs = maxMs): Promise<void> {
    return new Promise((resolve) => {
      const done = () => {
        clearTimeout(timer);
        this.#waiters.delete(done);
        signal?.removeEventListener("abort", done);
        resolve();
      };
      const timer = setTimeout(done, Math.min(maxMs, pollMs));
      this.#waiters.add(done);
      signal?.addEventListener("abort", done, { once: true });
    });
  }
}
