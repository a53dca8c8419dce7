/**
 * Polls `check` until it returns true, at most `timeoutMs`; then throws with `what` and the
 * last `describe()`, so a stuck test fails with its state instead of hanging.
 */
export async function waitFor(
  what: string,
  check: () => boolean | Promise<boolean>,
  options: { timeoutMs: number; intervalMs?: number; describe?: () => string },
): Promise<void> {
  const end = Date.now() + options.timeoutMs;
  for (;;) {
    if (await check()) return;
    if (Date.now() > end) {
      throw new Error(
        `timed out after ${options.timeoutMs} ms waiting for ${what}${options.describe ? `: ${options.describe()}` : ""}`,
      );
    }
    await new Promise((resolve) => setTimeout(resolve, options.intervalMs ?? 20));
  }
}
