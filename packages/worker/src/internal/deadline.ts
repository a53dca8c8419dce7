import { DeadlineError } from "@glasswork/core";
import { timerDelay } from "@glasswork/core/internal";
import { hookTimeoutCapMs } from "./deadline-margin.js";
import { type GaveUp, gaveUpOn } from "./run-handler.js";

/** What {@link Deadline.within} resolves to when the call did not settle in time. */
export const OUT_OF_TIME = Symbol("out of time");

/**
 * The time left in an invocation. At `remaining = marginMs` the signal fires: no record starts
 * any more and running handlers are asked to stop. At `remaining = marginMs / 3` the worker stops
 * waiting for them, so that it can still report outcomes before the hard deadline.
 *
 * The AbortController is made only when a handler reads `ctx.signal`: on Node 20 it is a
 * noticeable share of a no-op job's cost. With `{ armed: false }` the margin timer is set only
 * by {@link Deadline.arm}: a batch that finishes synchronously never yields to the event loop,
 * so no timer could fire in it, and it need not pay for one.
 */
export class Deadline {
  /** False when there is no deadline (a hand-made context without getRemainingTimeInMillis). */
  readonly finite: boolean;
  /** The margin this invocation uses (already scaled to the time available by the caller). */
  readonly marginMs: number;
  readonly #at: number;
  /** The time the invocation had at its start, to which hook timeouts are scaled. */
  readonly #totalMs: number;
  readonly #timers: ReturnType<typeof setTimeout>[] = [];
  #giveUp: Promise<void> | undefined;
  #resolveGiveUp: (() => void) | undefined;
  // Handlers still running, as pairs of arrays: no closure per record (see `whenGivingUp`).
  // Made by the first record that waits: a batch that finishes synchronously makes none.
  #giveUpCallbacks: ((value: GaveUp) => void)[] | undefined;
  #giveUpRunning: Promise<unknown>[] | undefined;
  #gaveUpAlready = false;
  #armed = false;
  #controller: AbortController | undefined;
  #reason: DeadlineError | undefined;
  #gaveUp: Promise<"gave-up"> | undefined;
  #disposed = false;

  constructor(remainingMs: number, marginMs: number, options: { armed?: boolean } = {}) {
    this.#at = Date.now() + remainingMs;
    this.#totalMs = remainingMs;
    this.finite = Number.isFinite(remainingMs);
    this.marginMs = marginMs;
    // Inside the margin already: abort now, not on a timer, or the batch (which checks
    // `aborted` synchronously) would start its first records before the timer runs.
    if (this.finite && (options.armed !== false || this.#at - marginMs <= Date.now())) this.arm();
  }

  /**
   * Sets the margin timer (once; later calls do nothing). The give-up timer is set only when the
   * margin is reached: most invocations end long before and need one timer.
   */
  arm(): void {
    if (this.#armed || !this.finite) return;
    this.#armed = true;
    this.#runAt(this.#at - this.marginMs, () => {
      this.#abort();
      // Never in the task that arms: `arm()` may come after a long synchronous stretch (a
      // CPU-bound handler) that passed the give-up point, while handlers started in it have
      // already settled and only wait for their reactions to run. Giving up on them there would
      // report completed jobs as failed and run them again; a timer runs after those reactions,
      // as the timer of a deadline armed at the start would. (Aborting at once is right: no
      // record may start past the margin.)
      this.#runAt(this.#at - this.marginMs / 3, () => this.#markGaveUp(), true);
    });
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
    if (!this.#giveUp) {
      this.#giveUp = this.#gaveUpAlready
        ? Promise.resolve()
        : new Promise((resolve) => {
            this.#resolveGiveUp = resolve;
          });
    }
    return this.#giveUp;
  }

  /**
   * At give-up time (at once when it has passed), calls `resolve` with the give-up of the
   * handler whose promise is `running`. For records of this invocation only: they are kept
   * until then, or until {@link dispose}. Calling `resolve` after the handler settled is fine:
   * it resolves a promise that already settled, which does nothing.
   */
  whenGivingUp(resolve: (value: GaveUp) => void, running: Promise<unknown>): void {
    if (this.#gaveUpAlready) {
      resolve(gaveUpOn(running));
      return;
    }
    if (this.#disposed) return;
    this.#giveUpCallbacks ??= [];
    this.#giveUpRunning ??= [];
    this.#giveUpCallbacks.push(resolve);
    this.#giveUpRunning.push(running);
  }

  /** Resolves to `"gave-up"` at give-up time: one promise per invocation, raced by every record. */
  gaveUp(): Promise<"gave-up"> {
    this.#gaveUp ??= this.giveUp().then(() => "gave-up" as const);
    return this.#gaveUp;
  }

  /** Milliseconds until the hard deadline. */
  remainingMs(): number {
    return this.#at - Date.now();
  }

  /**
   * How long a hook may run now: `configuredMs` scaled to the invocation's time (at most a
   * sixth of it, see `hookTimeoutCapMs`), and never past the point where only a sixth of the
   * margin is left, which is kept for the response itself. Hooks run one after another, so each
   * gets what the ones before it left: together they cannot overrun the deadline.
   */
  hookTimeoutMs(configuredMs: number): number {
    if (!this.finite) return configuredMs;
    const capMs = hookTimeoutCapMs(this.#totalMs, configuredMs);
    return Math.max(0, Math.min(capMs, this.remainingMs() - this.marginMs / 6));
  }

  /**
   * `call`, or {@link OUT_OF_TIME} once only the sixth of the margin kept for the response is
   * left (the budget hooks get, see `hookTimeoutMs`). For the driver calls that settle records
   * (retry delays, dead-letter moves, releases): a throttled one must not push the response past
   * the hard deadline, or Lambda redelivers the whole batch, completed records included.
   */
  within<T>(call: Promise<T>): Promise<T | typeof OUT_OF_TIME> {
    if (!this.finite) return call;
    const budgetMs = this.hookTimeoutMs(Number.POSITIVE_INFINITY);
    // Still settled later (a frozen container resumes it): never an unhandled rejection.
    call.catch(() => {});
    if (budgetMs <= 0) return Promise.resolve(OUT_OF_TIME);
    let timer: ReturnType<typeof setTimeout> | undefined;
    const timeout = new Promise<typeof OUT_OF_TIME>((resolve) => {
      timer = setTimeout(() => resolve(OUT_OF_TIME), timerDelay(budgetMs));
    });
    return Promise.race([call, timeout]).finally(() => clearTimeout(timer));
  }

  dispose(): void {
    this.#disposed = true;
    this.#giveUpCallbacks = undefined;
    this.#giveUpRunning = undefined;
    for (const timer of this.#timers) clearTimeout(timer);
  }

  // Runs `run` at the epoch time `when`. A delay over setTimeout's limit would fire at once,
  // so a long one is slept in pieces. With `later`, a time already passed runs in a timer of its
  // own (after the current task's promise reactions), never synchronously.
  #runAt(when: number, run: () => void, later = false): void {
    const delayMs = when - Date.now();
    if (delayMs <= 0 && !later) {
      run();
      return;
    }
    if (this.#disposed) return;
    if (delayMs <= 0) {
      this.#timers.push(setTimeout(run, 0));
      return;
    }
    const step = timerDelay(delayMs);
    this.#timers.push(setTimeout(step < delayMs ? () => this.#runAt(when, run) : run, step));
  }

  #markGaveUp(): void {
    this.#gaveUpAlready = true;
    this.#resolveGiveUp?.();
    // Nothing is added after this (see whenGivingUp): the lists are let go once called.
    const callbacks = this.#giveUpCallbacks ?? [];
    const running = this.#giveUpRunning ?? [];
    this.#giveUpCallbacks = undefined;
    this.#giveUpRunning = undefined;
    for (let i = 0; i < callbacks.length; i++) {
      (callbacks[i] as (value: GaveUp) => void)(gaveUpOn(running[i] as Promise<unknown>));
    }
  }

  #abort(): void {
    this.#reason = new DeadlineError();
    this.#controller?.abort(this.#reason);
  }
}
