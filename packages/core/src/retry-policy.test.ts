import { describe, expect, it, vi } from "vitest";
import { PermanentJobError, TransientJobError } from "./errors.js";
import {
  backoffDelaySeconds,
  DEFAULT_MAX_ATTEMPTS,
  decideRetry,
  MAX_VISIBILITY_TIMEOUT_SECONDS,
  type RetryPolicy,
  resolveRetryPolicy,
} from "./retry-policy.js";

const always = (value: number) => () => value;

describe("resolveRetryPolicy", () => {
  it("defaults to 25 attempts, dead-lettered, default backoff", () => {
    expect(DEFAULT_MAX_ATTEMPTS).toBe(25);
    expect(resolveRetryPolicy()).toEqual({ maxAttempts: 25, dead: true, backoff: {} });
  });

  it("takes a number of attempts", () => {
    expect(resolveRetryPolicy(5)).toEqual({ maxAttempts: 5, dead: true, backoff: {} });
    expect(resolveRetryPolicy(1)).toEqual({ maxAttempts: 1, dead: true, backoff: {} });
  });

  it("takes false: one attempt, failure deleted", () => {
    expect(resolveRetryPolicy(false)).toEqual({ maxAttempts: 1, dead: false, backoff: {} });
  });

  it("takes the full form with defaults for what is missing", () => {
    expect(resolveRetryPolicy({})).toEqual({ maxAttempts: 25, dead: true, backoff: {} });
    expect(resolveRetryPolicy({ maxAttempts: 3 })).toEqual({
      maxAttempts: 3,
      dead: true,
      backoff: {},
    });
    const backoff = { base: "5s", max: "1h", jitter: "none" } as const;
    expect(resolveRetryPolicy({ maxAttempts: 8, dead: false, backoff })).toEqual({
      maxAttempts: 8,
      dead: false,
      backoff,
    });
    const fn = (attempt: number) => attempt * 10;
    expect(resolveRetryPolicy({ backoff: fn }).backoff).toBe(fn);
  });

  it.each([0, -1, 1.5, Number.NaN, Number.POSITIVE_INFINITY])(
    "rejects maxAttempts %s with a RangeError",
    (maxAttempts) => {
      expect(() => resolveRetryPolicy(maxAttempts)).toThrow(RangeError);
      expect(() => resolveRetryPolicy({ maxAttempts })).toThrow(/maxAttempts must be an integer/);
    },
  );

  it("rejects a malformed backoff at once, not on the first retry", () => {
    expect(() => resolveRetryPolicy({ backoff: { base: "5 seconds" as "5s" } })).toThrow(
      RangeError,
    );
    expect(() => resolveRetryPolicy({ backoff: { max: -1 } })).toThrow(RangeError);
    expect(() => resolveRetryPolicy({ backoff: { jitter: "half" as unknown as "full" } })).toThrow(
      /jitter/,
    );
  });
});

describe("backoffDelaySeconds", () => {
  const policy = resolveRetryPolicy();

  it("doubles from 1 s without jitter", () => {
    const none: RetryPolicy = { ...policy, backoff: { jitter: "none" } };
    expect([1, 2, 3, 4, 5, 6].map((a) => backoffDelaySeconds(none, a))).toEqual([
      1, 2, 4, 8, 16, 32,
    ]);
  });

  it("applies full jitter with the given random source, rounded up to whole seconds", () => {
    expect(backoffDelaySeconds(policy, 4, always(0.5))).toBe(4); // 0.5 * 8
    expect(backoffDelaySeconds(policy, 4, always(0.3))).toBe(3); // ceil(2.4)
    expect(backoffDelaySeconds(policy, 1, always(0.01))).toBe(1); // ceil(0.01)
    expect(backoffDelaySeconds(policy, 5, always(0))).toBe(0);
    expect(backoffDelaySeconds(policy, 5, always(0.999_999))).toBe(16);
  });

  it("uses Math.random by default", () => {
    const spy = vi.spyOn(Math, "random").mockReturnValue(0.25);
    try {
      expect(backoffDelaySeconds(policy, 5)).toBe(4);
      expect(spy).toHaveBeenCalled();
    } finally {
      spy.mockRestore();
    }
  });

  it("caps at 15 minutes by default", () => {
    expect(backoffDelaySeconds(policy, 10, always(1))).toBe(512);
    expect(backoffDelaySeconds(policy, 11, always(1))).toBe(900);
    expect(backoffDelaySeconds(policy, 25, always(1))).toBe(900);
    expect(backoffDelaySeconds(policy, 25, always(0.5))).toBe(450);
    expect(backoffDelaySeconds(policy, 5_000, always(1))).toBe(900); // 2 ** 4999 is Infinity
  });

  it("treats attempt 0 or below like attempt 1", () => {
    const none: RetryPolicy = { ...policy, backoff: { jitter: "none" } };
    expect(backoffDelaySeconds(none, 0)).toBe(1);
    expect(backoffDelaySeconds(none, -3)).toBe(1);
  });

  it("takes a custom base and max as durations", () => {
    const custom: RetryPolicy = { ...policy, backoff: { base: "10s", max: "1m", jitter: "none" } };
    expect([1, 2, 3, 4].map((a) => backoffDelaySeconds(custom, a))).toEqual([10, 20, 40, 60]);
    const numeric: RetryPolicy = { ...policy, backoff: { base: 3, max: 100, jitter: "none" } };
    expect([1, 2, 6].map((a) => backoffDelaySeconds(numeric, a))).toEqual([3, 6, 96]);
    expect(backoffDelaySeconds(numeric, 7)).toBe(100);
  });

  it("clamps a custom max to SQS's 12-hour visibility limit", () => {
    expect(MAX_VISIBILITY_TIMEOUT_SECONDS).toBe(43_200);
    const long: RetryPolicy = { ...policy, backoff: { base: "1h", max: "3d", jitter: "none" } };
    expect(backoffDelaySeconds(long, 4)).toBe(28_800);
    expect(backoffDelaySeconds(long, 5)).toBe(43_200);
    expect(backoffDelaySeconds(long, 10)).toBe(43_200);
  });

  it("calls a backoff function with the attempt, rounding up and clamping its result", () => {
    const fn = vi.fn((attempt: number) => attempt * 1.5);
    const withFn: RetryPolicy = { ...policy, backoff: fn };
    expect(backoffDelaySeconds(withFn, 3, always(0))).toBe(5); // ceil(4.5), no jitter
    expect(fn).toHaveBeenCalledWith(3);
    expect(backoffDelaySeconds({ ...policy, backoff: () => 100_000 }, 1)).toBe(43_200);
    expect(backoffDelaySeconds({ ...policy, backoff: () => -5 }, 1)).toBe(0);
    expect(backoffDelaySeconds({ ...policy, backoff: () => Number.NaN }, 1)).toBe(0);
    expect(backoffDelaySeconds({ ...policy, backoff: () => Number.POSITIVE_INFINITY }, 1)).toBe(0);
  });
});

describe("decideRetry", () => {
  const policy = resolveRetryPolicy({ maxAttempts: 5, backoff: { jitter: "none" } });

  it("retries an ordinary error with the backoff while attempts remain", () => {
    expect(decideRetry(policy, 1, new Error("timeout"))).toEqual({ retry: true, delaySeconds: 1 });
    expect(decideRetry(policy, 3, new Error("timeout"))).toEqual({ retry: true, delaySeconds: 4 });
    expect(decideRetry(policy, 4, "a thrown string")).toEqual({ retry: true, delaySeconds: 8 });
  });

  it("passes the random source to the backoff", () => {
    const jittered = resolveRetryPolicy({ maxAttempts: 5 });
    expect(decideRetry(jittered, 4, new Error("x"), always(0.5))).toEqual({
      retry: true,
      delaySeconds: 4,
    });
  });

  it("never retries a PermanentJobError and always dead-letters it", () => {
    expect(decideRetry(policy, 1, new PermanentJobError("gone"))).toEqual({
      retry: false,
      dead: true,
    });
    const noDead = resolveRetryPolicy({ maxAttempts: 5, dead: false });
    expect(decideRetry(noDead, 1, new PermanentJobError("gone"))).toEqual({
      retry: false,
      dead: true,
    });
  });

  it("recognises a PermanentJobError from another copy of the package", () => {
    const foreign = { [Symbol.for("@glasswork/core/JobError")]: true, code: "PERMANENT" };
    expect(decideRetry(policy, 1, foreign)).toEqual({ retry: false, dead: true });
  });

  it("stops when attempts are exhausted, dead-lettering per the policy", () => {
    expect(decideRetry(policy, 5, new Error("x"))).toEqual({ retry: false, dead: true });
    expect(decideRetry(policy, 6, new Error("x"))).toEqual({ retry: false, dead: true });
    const noDead = resolveRetryPolicy({ maxAttempts: 2, dead: false });
    expect(decideRetry(noDead, 1, new Error("x"))).toMatchObject({ retry: true });
    expect(decideRetry(noDead, 2, new Error("x"))).toEqual({ retry: false, dead: false });
  });

  it("does not retry a job with retry: false", () => {
    const once = resolveRetryPolicy(false);
    expect(decideRetry(once, 1, new Error("x"))).toEqual({ retry: false, dead: false });
    expect(decideRetry(once, 1, new TransientJobError("x", { retryAfter: 5 }))).toEqual({
      retry: false,
      dead: false,
    });
  });

  it("lets a TransientJobError's retryAfter override the backoff", () => {
    expect(decideRetry(policy, 4, new TransientJobError("429", { retryAfter: 120 }))).toEqual({
      retry: true,
      delaySeconds: 120,
    });
    expect(decideRetry(policy, 4, new TransientJobError("429", { retryAfter: 0 }))).toEqual({
      retry: true,
      delaySeconds: 0,
    });
    expect(decideRetry(policy, 1, new TransientJobError("x", { retryAfter: 2.1 }))).toEqual({
      retry: true,
      delaySeconds: 3,
    });
    expect(decideRetry(policy, 1, new TransientJobError("x", { retryAfter: 100_000 }))).toEqual({
      retry: true,
      delaySeconds: 43_200,
    });
  });

  it("uses the backoff for a TransientJobError without retryAfter", () => {
    expect(decideRetry(policy, 3, new TransientJobError("x"))).toEqual({
      retry: true,
      delaySeconds: 4,
    });
  });

  it("does not retry a TransientJobError on the last attempt, whatever its retryAfter", () => {
    expect(decideRetry(policy, 5, new TransientJobError("x", { retryAfter: 1 }))).toEqual({
      retry: false,
      dead: true,
    });
  });
});
