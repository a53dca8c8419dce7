import type { JobContext, JobExecution, JobOutcome } from "@glasswork/core";
import type { Deadline } from "./deadline.js";
import { afterHooks, startHooks } from "./lifecycle-hooks.js";
import type { GaveUp, HandlerResult } from "./run-handler.js";
import type { WorkerRuntime } from "./worker-runtime.js";

/** A handler that failed (`{ value }`), or was given up on at the deadline. */
export type HandlerFailure = Exclude<HandlerResult, undefined> | GaveUp;

/**
 * What differs between a queue record and a periodic job around the one hook sequence of
 * {@link runJob}. Plain functions over a state object, so that a record's run costs no closures.
 */
export interface JobSteps<State> {
  /** Calls the handler. */
  handle(state: State): HandlerResult | Promise<HandlerResult | GaveUp>;
  /** After the handler resolved, before `onJobComplete`; `durationMs` when the run is timed. */
  completed(state: State, durationMs: number | undefined): void | Promise<void>;
  /** Settles a failure (retry, dead-letter, or a failure for the scheduler); fires `onJobFailed`. */
  failed(
    state: State,
    failure: HandlerFailure,
    durationMs: number | undefined,
  ): Promise<JobOutcome>;
}

/**
 * The hook sequence of a job whose handler runs, for records and periodic jobs alike:
 * `onJobStart` (first registered first), the handler, then `onJobComplete` (last registered
 * first) or the path's own settling of the failure. `aroundJob` wraps it (see `runAroundHooks`).
 * Without hooks it is synchronous when the handler and the step after it are, and reads the
 * clock only when `timed`. `execution` is what hooks get: set whenever the runtime has hooks.
 */
export function runJob<State>(
  rt: WorkerRuntime,
  deadline: Deadline,
  execution: JobExecution | undefined,
  ctx: JobContext,
  steps: JobSteps<State>,
  state: State,
  timed = true,
): JobOutcome | Promise<JobOutcome> {
  if (rt.hooks.length > 0 && execution) {
    return runJobWithHooks(rt, deadline, execution, ctx, steps, state);
  }
  if (!timed) {
    const ran = steps.handle(state);
    return ran instanceof Promise
      ? ran.then((settled) => finish(steps, state, settled, undefined))
      : finish(steps, state, ran, undefined);
  }
  const startedAt = performance.now();
  const ran = steps.handle(state);
  return ran instanceof Promise
    ? ran.then((settled) => finish(steps, state, settled, performance.now() - startedAt))
    : finish(steps, state, ran, performance.now() - startedAt);
}

// The outcome of every untimed success: shared, and frozen like every outcome hooks could see.
const COMPLETED: JobOutcome = Object.freeze({ status: "completed" });

function finish<State>(
  steps: JobSteps<State>,
  state: State,
  settled: HandlerResult | GaveUp,
  durationMs: number | undefined,
): JobOutcome | Promise<JobOutcome> {
  if (settled !== undefined) return steps.failed(state, settled, durationMs);
  const completing = steps.completed(state, durationMs);
  const outcome: JobOutcome =
    durationMs === undefined ? COMPLETED : { status: "completed", durationMs };
  return completing ? completing.then(() => outcome) : outcome;
}

async function runJobWithHooks<State>(
  rt: WorkerRuntime,
  deadline: Deadline,
  execution: JobExecution,
  ctx: JobContext,
  steps: JobSteps<State>,
  state: State,
): Promise<JobOutcome> {
  await startHooks(rt, deadline, execution, ctx);
  const startedAt = performance.now();
  const ran = steps.handle(state);
  const settled = ran instanceof Promise ? await ran : ran;
  const durationMs = performance.now() - startedAt;
  if (settled !== undefined) return steps.failed(state, settled, durationMs);
  const completing = steps.completed(state, durationMs);
  if (completing) await completing;
  await afterHooks(rt, deadline, "onJobComplete", (h) =>
    h.onJobComplete?.(execution, ctx, { durationMs }),
  );
  return { status: "completed", durationMs };
}
