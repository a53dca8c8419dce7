import { afterEach, describe, expect, it, vi } from "vitest";
import { RateLimiter } from "./rate-limiter.js";

describe("RateLimiter", () => {
  afterEach(() => {
    vi.useRealTimers();
  });

  it("lets the first batch go at once and spaces the next ones by their size", async () => {
    vi.useFakeTimers({ now: 0 });
    const limiter = new RateLimiter(10);
    const released: number[] = [];
    const take = (units: number) => limiter.take(units).then(() => released.push(Date.now()));

    await take(10);
    const second = take(10);
    const third = take(5);
    await vi.advanceTimersByTimeAsync(2_000);
    await Promise.all([second, third]);

    expect(released).toEqual([0, 1_000, 2_000]);
  });

  it("never waits without a rate", async () => {
    const limiter = new RateLimiter(undefined);
    await expect(limiter.take(1_000)).resolves.toBeUndefined();
  });
});
