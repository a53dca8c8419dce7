import type { Logger } from "../logger.js";
import { timerDelay } from "./timer-limit.js";

/**
 * Runs a hook so that it can neither throw into its caller nor hold it up: a failure is logged
 * (as `failedMessage`), and after `timeoutMs` the caller goes on without waiting further. With an
 * infinite `timeoutMs` it waits for the hook as long as the hook takes (the producer's hooks).
 */
export async function safeHook(
  logger: Logger,
  name: string,
  timeoutMs: number,
  call: () => unknown,
  failedMessage = `hook ${name} failed; the job's outcome is unchanged`,
): Promise<void> {
  let timer: ReturnType<typeof setTimeout> | undefined;
  try {
    let result = call();
    if (!(result instanceof Promise)) {
      // A thenable from another promise library (or realm) is awaited like a native promise.
      if (typeof (result as PromiseLike<unknown> | undefined)?.then !== "function") return;
      result = Promise.resolve(result);
    }
    if (timeoutMs === Number.POSITIVE_INFINITY) {
      await result;
      return;
    }
    if (timeoutMs <= 0) {
      // No time left before the deadline: do not wait at all (even a 0 ms timer takes 1 ms).
      (result as Promise<unknown>).catch(() => {});
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
    logger.error({ hook: name, err: error }, failedMessage);
  } finally {
    clearTimeout(timer);
  }
}
