import type { Context } from "aws-lambda";
import { HOLD_WHILE_RUNNING, type HoldWhileRunning } from "./hold-while-running.js";
import { SETTLE } from "./settle.js";

// What the worker reads from the Lambda context: the time left, and what a poller adds to it.

/** The invocation's remaining time; infinite for a hand-made context without the method. */
export function remainingTime(context: Context | undefined): number {
  // Without the method (a hand-made context) there is no deadline; with it, 0 means none left.
  const remaining = context?.getRemainingTimeInMillis?.();
  return typeof remaining === "number" && Number.isFinite(remaining)
    ? Math.max(0, remaining)
    : Number.POSITIVE_INFINITY;
}

/** The poller's settle function on the context, or one that does nothing. */
export function settlerOf(context: Context): (messageId: string) => Promise<void> {
  const settle = (context as { [SETTLE]?: (messageId: string) => Promise<void> })[SETTLE];
  return settle ?? settleNothing;
}

function settleNothing(): Promise<void> {
  return Promise.resolve();
}

/** The poller's {@link HoldWhileRunning} on the context; none on Lambda. */
export function holdOf(context: Context): HoldWhileRunning | undefined {
  return (context as { [HOLD_WHILE_RUNNING]?: HoldWhileRunning })[HOLD_WHILE_RUNNING];
}
