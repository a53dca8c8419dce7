import type { JobExecution, JobOutcome, Logger, WorkerHooks } from "@glasswork/core";
import { timerDelay } from "@glasswork/core/internal";

/**
 * Runs `run` inside every `aroundJob` hook, the first hook outermost. The outcome is always the
 * one `run` produced: a hook that throws, never calls `run`, or hangs is logged and bypassed.
 * `timeoutMs` is asked each time a wait starts: the budget shrinks as the deadline nears.
 */
export function runAroundHooks(
  hooks: readonly WorkerHooks[],
  execution: JobExecution,
  logger: Logger,
  timeoutMs: () => number,
  run: () => Promise<JobOutcome>,
): Promise<JobOutcome> {
  if (!hooks.some((h) => h.aroundJob)) return run();
  // Hooks get the outcome object itself: frozen, so that none can rewrite it (see process-record).
  let chain = async () => Object.freeze(await run());
  for (let i = hooks.length - 1; i >= 0; i--) {
    const around = hooks[i]?.aroundJob;
    if (!around) continue;
    const inner = chain;
    chain = () => callAround(hooks[i] as WorkerHooks, execution, logger, timeoutMs, inner);
  }
  return chain();
}

async function callAround(
  hook: WorkerHooks,
  execution: JobExecution,
  logger: Logger,
  timeoutMs: () => number,
  inner: () => Promise<JobOutcome>,
): Promise<JobOutcome> {
  let started: Promise<JobOutcome> | undefined;
  let markCalled = () => {};
  const called = new Promise<void>((resolve) => {
    markCalled = resolve;
  });
  const once = () => {
    if (!started) {
      started = inner();
      markCalled();
    }
    return started;
  };

  let settled: Promise<unknown>;
  try {
    settled = Promise.resolve(hook.aroundJob?.(execution, once)).catch((error: unknown) => {
      logger.error(
        { err: error, hook: "aroundJob" },
        "hook aroundJob failed; the job's outcome is unchanged",
      );
    });
  } catch (error) {
    logger.error(
      { err: error, hook: "aroundJob" },
      "hook aroundJob failed; the job's outcome is unchanged",
    );
    settled = Promise.resolve();
  }

  if (!(await within(Promise.race([called, settled]), timeoutMs())) || !started) {
    logger.error(
      { hook: "aroundJob" },
      "hook aroundJob did not call run(); running the job without it",
    );
  }
  const outcome = await once();
  const afterMs = timeoutMs();
  if (!(await within(settled, afterMs))) {
    logger.error(
      { hook: "aroundJob", timeoutMs: afterMs },
      `hook aroundJob did not settle within ${Math.round(afterMs)} ms`,
    );
  }
  return outcome;
}

async function within(promise: Promise<unknown>, ms: number): Promise<boolean> {
  let timer: ReturnType<typeof setTimeout> | undefined;
  const timeout = new Promise<false>((resolve) => {
    timer = setTimeout(() => resolve(false), timerDelay(ms));
  });
  try {
    return await Promise.race([promise.then(() => true), timeout]);
  } finally {
    clearTimeout(timer);
  }
}
