import type { JobContext } from "@glasswork/core";
import type { JobExecution, WorkerHooks } from "../worker-hooks.js";
import { safeHook } from "./safe-hook.js";
import type { WorkerRuntime } from "./worker-runtime.js";

/** Runs every `onJobStart`, first registered first. */
export async function startHooks(
  rt: WorkerRuntime,
  execution: JobExecution,
  ctx: JobContext,
): Promise<void> {
  for (const hooks of rt.hooks) {
    await safeHook(rt.logger, "onJobStart", rt.hookTimeoutMs, () =>
      hooks.onJobStart?.(execution, ctx),
    );
  }
}

/** Runs an after-hook of every hook set, last registered first (like middy's after-middlewares). */
export async function afterHooks(
  rt: WorkerRuntime,
  name: string,
  call: (hooks: WorkerHooks) => unknown,
): Promise<void> {
  if (rt.hooks.length === 0) return;
  for (let i = rt.hooks.length - 1; i >= 0; i--) {
    const hooks = rt.hooks[i];
    if (hooks) await safeHook(rt.logger, name, rt.hookTimeoutMs, () => call(hooks));
  }
}
