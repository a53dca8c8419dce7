import { describe, expect, it } from "vitest";
import { roundRatios } from "./stats.js";
import { formatRatio } from "./table.js";

describe("roundRatios", () => {
  it("divides each round's samples, not the sorted ones", () => {
    // Sorted, the sides would pair 1/2, 2/3, 4/4; by round they pair 4/2, 1/4, 2/3.
    expect(roundRatios([4, 1, 2], [2, 4, 3])).toEqual({ min: 0.25, median: 2 / 3, max: 2 });
  });

  it("refuses sides of different rounds", () => {
    expect(() => roundRatios([1, 2], [1])).toThrow(RangeError);
  });
});

describe("formatRatio", () => {
  it("prints the round-by-round range after the ratio where there is one", () => {
    expect(formatRatio(0.931, { min: 0.846, median: 0.93, max: 1.024 })).toBe("0.93× (0.85–1.02)");
    expect(formatRatio(4.83)).toBe("4.83×");
    expect(formatRatio(null)).toBe("—");
  });
});
