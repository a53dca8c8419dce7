import { describe, expect, it } from "vitest";
import { deadlineMarginMs } from "./deadline-margin.js";

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
