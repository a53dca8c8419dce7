import type { Logger } from "@glasswork/core";

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
    const result = call();
    if (!(result instanceof Promise)) return;
    const timeout = new Promise<"timeout">((resolve) => {
      timer = setTimeout(() => resolve("timeout"), timeoutMs);
    });
    if ((await Promise.race([result, timeout])) === "timeout") {
      logger.error(
        { hook: name, timeoutMs },
        `hook ${name} did not settle within ${timeoutMs} ms; going on without it`,
      );
    }
  } catch (error) {
    logger.error({ hook: name, err: error }, `hook ${name} failed; the job's outcome is unchanged`);
  } finally {
    clearTimeout(timer);
  }
}
