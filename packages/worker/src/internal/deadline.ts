/**
 * The time left in an invocation. At `remaining = marginMs` the signal fires: no record starts
 * any more and running handlers are asked to stop. At `remaining = marginMs / 3` the worker stops
 * waiting for them, so that it can still report outcomes before the hard deadline.
 */
export class Deadline {
  readonly signal: AbortSignal;
  readonly #at: number;
  readonly #controller = new AbortController();
  readonly #timers: ReturnType<typeof setTimeout>[] = [];
  readonly #giveUp: Promise<void>;

  constructor(remainingMs: number, marginMs: number) {
    this.#at = Date.now() + remainingMs;
    this.signal = this.#controller.signal;
    let giveUp = () => {};
    this.#giveUp = new Promise((resolve) => {
      giveUp = resolve;
    });
    if (Number.isFinite(remainingMs)) {
      // Inside the margin already: abort now, not on a timer, or the batch (which checks the
      // signal synchronously) would start its first records before the timer runs.
      this.#after(remainingMs - marginMs, () =>
        this.#controller.abort(new DeadlineError("the invocation deadline is near")),
      );
      this.#after(remainingMs - marginMs / 3, giveUp);
    }
  }

  #after(delayMs: number, run: () => void): void {
    if (delayMs <= 0) run();
    else this.#timers.push(setTimeout(run, delayMs));
  }

  /** Resolves when the worker must stop waiting for running handlers. */
  giveUp(): Promise<void> {
    return this.#giveUp;
  }

  /** Milliseconds until the hard deadline. */
  remainingMs(): number {
    return this.#at - Date.now();
  }

  dispose(): void {
    for (const timer of this.#timers) clearTimeout(timer);
  }
}

/** The reason of a job's signal when the invocation runs out of time. */
export class DeadlineError extends Error {
  constructor(message: string) {
    super(message);
    this.name = "DeadlineError";
  }
}
