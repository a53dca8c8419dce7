import type { Logger } from "@glasswork/core";
import { timerDelay } from "./timer-limit.js";

/**
 * Runs a hook so that it can neither throw into the worker nor hold it up: a failure is logged,
 * and after `timeoutMs` the worker goes on without waiting further.
 */
export async function safeHook(
  logger: Logger,
  name: string,
  timeoutMs: number,
  call: () => unknown,
): Promise<void> {
  let timer: ReturnType<typeof setTimeout> | undefined;
  try {
    const returned = call();
    // Any thenable, not only `instanceof Promise`: a promise from another realm (node:vm, jsdom)
    // must be waited for too, and its rejection handled.
    if (typeof (returned as PromiseLike<unknown> | undefined)?.then !== "function") return;
    const result = Promise.resolve(returned as PromiseLike<unknown>);
    if (timeoutMs <= 0) {
      // No time left before the deadline: do not wait at all (even a 0 ms timer takes 1 ms).
      result.catch(() => {});
      logger.error(
        { hook: name, timeoutMs: 0 },
        `hook ${name} did not settle within 0 ms (no time left before the deadline); going on without it`,
      );
      return;
    }
    const timeout = new Promise<"timeout">((resolve) => {
      timer = setTimeout(() => resolve("timeout"), timerDelay(timeoutMs));
    });
    if ((await Promise.race([result, timeout])) === "timeout") {
      logger.error(
        { hook: name, timeoutMs },
        `hook ${name} did not settle within ${Math.round(timeoutMs)} ms; going on without it`,
      );
    }
  } catch (error) {
    logger.error({ hook: name, err: error }, `hook ${name} failed; the job's outcome is unchanged`);
  } finally {
    clearTimeout(timer);
  }
}
