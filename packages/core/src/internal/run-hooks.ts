import type { Logger } from "../logger.js";
import { safeHook } from "./safe-hook.js";

/** How {@link runHooks} calls one hook of every hook set. */
export interface HookRun {
  readonly logger: Logger;
  /** The hook's name, for the log lines. */
  readonly name: string;
  /** `"in-order"` for before-hooks, `"reverse"` for after-hooks (middy's order). */
  readonly order: "in-order" | "reverse";
  /** The budget of the hook about to start, asked anew for each: it may shrink as a deadline nears. */
  readonly timeoutMs: () => number;
  /** What a failure is logged as; default: the job's outcome is unchanged. */
  readonly failedMessage?: string;
}

/**
 * Calls one hook of every hook set, one after the other, each through {@link safeHook}: the one
 * hook runner of the producer (`JobService`) and the worker.
 */
export async function runHooks<Hooks>(
  hookSets: readonly Hooks[],
  run: HookRun,
  call: (hooks: Hooks) => unknown,
): Promise<void> {
  const last = hookSets.length - 1;
  for (let i = 0; i <= last; i++) {
    const hooks = hookSets[run.order === "in-order" ? i : last - i] as Hooks;
    await safeHook(run.logger, run.name, run.timeoutMs(), () => call(hooks), run.failedMessage);
  }
}
