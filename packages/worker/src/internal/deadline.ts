/**
 * The time left in an invocation. At `remaining = marginMs` the signal fires: no record starts
 * any more and running handlers are asked to stop. At `remaining = marginMs / 3` the worker stops
 * waiting for them, so that it can still report outcomes before the hard deadline.
 *
 * The AbortController is made only when a handler reads `ctx.signal`: on Node 20 it is a
 * noticeable share of a no-op job's cost.
 */
export class Deadline {
  /** False when there is no deadline (a hand-made context without getRemainingTimeInMillis). */
  readonly finite: boolean;
  readonly #at: number;
  readonly #timers: ReturnType<typeof setTimeout>[] = [];
  readonly #giveUp: Promise<void>;
  #controller: AbortController | undefined;
  #reason: DeadlineError | undefined;
  #gaveUp: Promise<"gave-up"> | undefined;

  constructor(remainingMs: number, marginMs: number) {
    this.#at = Date.now() + remainingMs;
    this.finite = Number.isFinite(remainingMs);
    let giveUp = () => {};
    this.#giveUp = new Promise((resolve) => {
      giveUp = resolve;
    });
    if (this.finite) {
      // Inside the margin already: abort now, not on a timer, or the batch (which checks
      // `aborted` synchronously) would start its first records before the timer runs. The
      // give-up timer is armed only then: most invocations end long before and need one timer.
      this.#after(remainingMs - marginMs, () => {
        this.#abort();
        this.#after(this.remainingMs() - marginMs / 3, giveUp);
      });
    }
  }

  /** Fires at the margin; what handlers see as `ctx.signal`. */
  get signal(): AbortSignal {
    if (!this.#controller) {
      this.#controller = new AbortController();
      if (this.#reason) this.#controller.abort(this.#reason);
    }
    return this.#controller.signal;
  }

  /** True once the margin is reached: no record may start. */
  get aborted(): boolean {
    return this.#reason !== undefined;
  }

  /** Why it aborted, once it has. */
  get reason(): DeadlineError | undefined {
    return this.#reason;
  }

  /** Resolves when the worker must stop waiting for running handlers. */
  giveUp(): Promise<void> {
    return this.#giveUp;
  }

  /** Resolves to `"gave-up"` at give-up time: one promise per invocation, raced by every record. */
  gaveUp(): Promise<"gave-up"> {
    this.#gaveUp ??= this.#giveUp.then(() => "gave-up" as const);
    return this.#gaveUp;
  }

  /** Milliseconds until the hard deadline. */
  remainingMs(): number {
    return this.#at - Date.now();
  }

  dispose(): void {
    for (const timer of this.#timers) clearTimeout(timer);
  }

  #after(delayMs: number, run: () => void): void {
    if (delayMs <= 0) run();
    else this.#timers.push(setTimeout(run, delayMs));
  }

  #abort(): void {
    this.#reason = new DeadlineError("the invocation deadline is near");
    this.#controller?.abort(this.#reason);
  }
}

/** The reason of a job's signal when the invocation runs out of time. */
export class DeadlineError extends Error {
  constructor(message: string) {
    super(message);
    this.name = "DeadlineError";
  }
}
