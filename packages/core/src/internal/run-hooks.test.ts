import { describe, expect, it, vi } from "vitest";
import { silentLogger } from "../logger.js";
import { runHooks } from "./run-hooks.js";
import { safeHook } from "./safe-hook.js";

const spyLogger = () => ({ ...silentLogger, error: vi.fn() });

describe("runHooks", () => {
  it("calls before-hooks first registered first and after-hooks last registered first", async () => {
    const calls: string[] = [];
    const sets = ["a", "b", "c"];
    const run = { logger: silentLogger, name: "h", timeoutMs: () => 1_000 };
    await runHooks(sets, { ...run, order: "in-order" }, (s) => calls.push(`before ${s}`));
    await runHooks(sets, { ...run, order: "reverse" }, (s) => calls.push(`after ${s}`));
    expect(calls).toEqual(["before a", "before b", "before c", "after c", "after b", "after a"]);
  });

  it("logs a failing hook with its message and goes on to the next", async () => {
    const logger = spyLogger();
    const error = new Error("boom");
    const seen: number[] = [];
    await runHooks(
      [1, 2],
      {
        logger,
        name: "onEnqueue",
        order: "in-order",
        timeoutMs: () => 1_000,
        failedMessage: "x failed",
      },
      (n) => {
        seen.push(n);
        if (n === 1) throw error;
      },
    );
    expect(seen).toEqual([1, 2]);
    expect(logger.error).toHaveBeenCalledWith({ hook: "onEnqueue", err: error }, "x failed");
  });

  it("asks for the budget anew before each hook", async () => {
    const timeoutMs = vi.fn(() => 1_000);
    await runHooks(
      [1, 2, 3],
      { logger: silentLogger, name: "h", order: "reverse", timeoutMs },
      () => {},
    );
    expect(timeoutMs).toHaveBeenCalledTimes(3);
  });
});

describe("safeHook", () => {
  it("waits for a slow hook without a timeout when the budget is infinite", async () => {
    vi.useFakeTimers();
    try {
      let done = false;
      const running = safeHook(silentLogger, "h", Number.POSITIVE_INFINITY, async () => {
        await new Promise((resolve) => setTimeout(resolve, 60_000));
        done = true;
      });
      await vi.advanceTimersByTimeAsync(60_000);
      await running;
      expect(done).toBe(true);
    } finally {
      vi.useRealTimers();
    }
  });

  it("awaits a thenable that is not a native promise, and logs its rejection", async () => {
    const logger = spyLogger();
    const error = new Error("late");
    // biome-ignore lint/suspicious/noThenProperty: a non-native thenable is what this test is about.
    const thenable = { then: (_: unknown, reject: (e: unknown) => void) => reject(error) };
    await safeHook(logger, "h", 1_000, () => thenable);
    expect(logger.error).toHaveBeenCalledWith(
      { hook: "h", err: error },
      "hook h failed; the job's outcome is unchanged",
    );
  });

  it("does not wait at all for a hook when no time is left", async () => {
    const logger = spyLogger();
    await safeHook(logger, "h", 0, () => new Promise(() => {}));
    expect(logger.error).toHaveBeenCalledWith(
      { hook: "h", timeoutMs: 0 },
      expect.stringMatching(/did not settle within 0 ms/),
    );
  });
});
