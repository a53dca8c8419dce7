import { deadlineMarginMs } from "./deadline-margin.js";
import type { WorkerRuntime } from "./worker-runtime.js";

/** Warns when this invocation's time cuts the configured deadline margin. */
export function warnAboutShortTimeout(rt: WorkerRuntime, remainingMs: number): void {
  // A short function timeout leaves the configured margin no room: the margin is cut to a third
  // of the time, which is easy to miss, so the first invocation says so once.
  const marginMs = deadlineMarginMs(remainingMs, rt.deadlineMarginMs);
  if (marginMs >= rt.deadlineMarginMs) return;
  rt.logger.warn(
    { remainingMs, deadlineMarginMs: rt.deadlineMarginMs, effectiveMarginMs: Math.round(marginMs) },
    `the function has ${remainingMs} ms for this invocation, too little for deadlineMarginMs (${rt.deadlineMarginMs} ms): the margin is cut to ${Math.round(marginMs)} ms, so jobs get about ${Math.round(remainingMs - marginMs)} ms per invocation. Raise the function's timeout to at least ${Math.ceil((rt.deadlineMarginMs * 3) / 1000)} s (and the queue's visibility timeout to 6 times it)`,
  );
}
