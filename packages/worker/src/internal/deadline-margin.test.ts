import { describe, expect, it } from "vitest";
import { deadlineMarginMs, hookTimeoutCapMs } from "./deadline-margin.js";

describe("deadlineMarginMs", () => {
  it.each([
    [0, 3_000, 0],
    [3_000, 3_000, 1_000],
    [9_000, 3_000, 3_000],
    [900_000, 3_000, 3_000],
    [600, 240, 200],
    [Number.POSITIVE_INFINITY, 3_000, 3_000],
    [-5, 3_000, 0],
  ])("with %d ms left and a %d ms cap is %d ms", (remainingMs, configuredMs, expected) => {
    expect(deadlineMarginMs(remainingMs, configuredMs)).toBe(expected);
  });
});

describe("hookTimeoutCapMs", () => {
  it.each([
    [3_000, 2_000, 500],
    [12_000, 2_000, 2_000],
    [900_000, 2_000, 2_000],
    [Number.POSITIVE_INFINITY, 2_000, 2_000],
    [-5, 2_000, 0],
  ])(
    "with %d ms at the start and %d ms configured is %d ms",
    (remainingMs, configuredMs, expected) => {
      expect(hookTimeoutCapMs(remainingMs, configuredMs)).toBe(expected);
    },
  );
});
