import { describe, expect, it } from "vitest";
import { atExpression, parseAtExpression } from "./schedule-expression.js";

describe("atExpression", () => {
  it("writes the UTC time without zone or milliseconds", () => {
    expect(atExpression(new Date("2026-12-01T10:00:00.000Z"))).toBe("at(2026-12-01T10:00:00)");
    expect(atExpression(new Date("2026-12-01T10:00:00.000+02:00"))).toBe("at(2026-12-01T08:00:00)");
  });

  it("rounds up, never early", () => {
    expect(atExpression(new Date("2026-12-31T23:59:59.001Z"))).toBe("at(2027-01-01T00:00:00)");
  });

  it("rejects an invalid date", () => {
    expect(() => atExpression(new Date(Number.NaN))).toThrow(RangeError);
  });
});

describe("parseAtExpression", () => {
  it("reads back what atExpression wrote, as UTC", () => {
    expect(parseAtExpression("at(2026-12-01T10:00:00)")).toEqual(new Date("2026-12-01T10:00:00Z"));
  });

  it("gives undefined for rate and cron expressions", () => {
    expect(parseAtExpression("rate(5 minutes)")).toBeUndefined();
    expect(parseAtExpression("cron(0 9 * * ? *)")).toBeUndefined();
  });
});
