import { describe, expect, it } from "vitest";
import { type Duration, toSeconds } from "./duration.js";

describe("toSeconds", () => {
  it("returns a number of seconds as it is", () => {
    expect(toSeconds(0)).toBe(0);
    expect(toSeconds(45)).toBe(45);
    expect(toSeconds(1.5)).toBe(1.5);
  });

  it.each<[Duration, number]>([
    ["30s", 30],
    ["10m", 600],
    ["2h", 7_200],
    ["3d", 259_200],
    ["0s", 0],
    ["1.5h", 5_400],
    ["0.5m", 30],
  ])("converts %s to %i seconds", (duration, seconds) => {
    expect(toSeconds(duration)).toBe(seconds);
  });

  it.each([-1, Number.NaN, Number.POSITIVE_INFINITY])(
    "rejects the number %s with a RangeError",
    (duration) => {
      expect(() => toSeconds(duration)).toThrow(RangeError);
      expect(() => toSeconds(duration)).toThrow(/finite number of seconds >= 0/);
    },
  );

  it.each(["", "10", "10 m", " 10m", "10M", "10w", "-5s", "1e3s", ".5m", "m", "10ms"])(
    "rejects the string %j with a RangeError that shows the format",
    (duration) => {
      expect(() => toSeconds(duration as Duration)).toThrow(RangeError);
      expect(() => toSeconds(duration as Duration)).toThrow(/"30s", "10m", "2h", "3d"/);
    },
  );
});
