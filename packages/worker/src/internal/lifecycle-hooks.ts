import type { JobContext, JobExecution, WorkerHooks } from "@glasswork/core";
import type { Deadline } from "./deadline.js";
import { safeHook } from "./safe-hook.js";
import type { WorkerRuntime } from "./worker-runtime.js";

/** Runs every `onJobStart`, first registered first, each within the deadline's hook budget. */
export async function startHooks(
  rt: WorkerRuntime,
  deadline: Deadline,
  execution: JobExecution,
  ctx: JobContext,
): Promise<void> {
  for (const hooks of rt.hooks) {
    await safeHook(rt.logger, "onJobStart", deadline.hookTimeoutMs(rt.hookTimeoutMs), () =>
      hooks.onJobStart?.(execution, ctx),
    );
  }
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
  for (let i = rt.hooks.length - 1; i >= 0; i--) {
    const hooks = rt.hooks[i];
    if (hooks)
      await safeHook(rt.logger, name, deadline.hookTimeoutMs(rt.hookTimeoutMs), () => call(hooks));
  }
}
