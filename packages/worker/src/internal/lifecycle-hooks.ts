import type { JobContext, JobExecution, WorkerHooks } from "@glasswork/core";
import { runHooks } from "@glasswork/core/internal";
import type { Deadline } from "./deadline.js";
import type { WorkerRuntime } from "./worker-runtime.js";

/** Runs every `onJobStart`, first registered first, each within the deadline's hook budget. */
export function startHooks(
  rt: WorkerRuntime,
  deadline: Deadline,
  execution: JobExecution,
  ctx: JobContext,
): Promise<void> {
  return runHooks(
    rt.hooks,
    {
      logger: rt.logger,
      name: "onJobStart",
      order: "in-order",
      timeoutMs: () => deadline.hookTimeoutMs(rt.hookTimeoutMs),
    },
    (hooks) => hooks.onJobStart?.(execution, ctx),
  );
}

/**
 * Runs an after-hook of every hook set, last registered first (like middy's after-middlewares).
 * Each gets what is left of the deadline's hook budget, not a fixed timeout: after the give-up
 * point that is little, and hooks in a row must not push the invocation past its deadline.
 */
export async function afterHooks(
  rt: WorkerRuntime,
  deadline: Deadline,
  name: string,
  call: (hooks: WorkerHooks) => unknown,
): Promise<void> {
  if (rt.hooks.length === 0) return;
  await runHooks(
    rt.hooks,
    {
      logger: rt.logger,
      name,
      order: "reverse",
      timeoutMs: () => deadline.hookTimeoutMs(rt.hookTimeoutMs),
    },
    call,
  );
}
