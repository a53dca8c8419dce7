import { describe, expect, it } from "vitest";
import { MAX_SCHEDULE_NAME_LENGTH, scheduleName } from "./schedule-name.js";

const ALLOWED = /^[0-9A-Za-z_.-]+$/;

describe("scheduleName", () => {
  it("keeps a readable part of the id and adds its hash", () => {
    expect(scheduleName("reminder-u_1")).toMatch(/^glasswork-reminder-u_1-[0-9a-f]{32}$/);
  });

  it("stays within 64 allowed characters for any id", () => {
    for (const id of ["x".repeat(128), "ünïcødé/with spaces:and#signs", "a", "🙂".repeat(40)]) {
      const name = scheduleName(id);
      expect(name.length).toBeLessThanOrEqual(MAX_SCHEDULE_NAME_LENGTH);
      expect(name).toMatch(ALLOWED);
    }
  });

  it("is the same for the same id, so cancel finds the schedule again", () => {
    expect(scheduleName("order:42")).toBe(scheduleName("order:42"));
  });

  it("differs for ids that look alike once cleaned or cut", () => {
    expect(scheduleName("order:42")).not.toBe(scheduleName("order/42"));
    const long = "x".repeat(100);
    expect(scheduleName(`${long}a`)).not.toBe(scheduleName(`${long}b`));
  });

  it("uses the given prefix and rejects one the scheduler would not accept", () => {
    expect(scheduleName("a", "app.")).toMatch(/^app\.a-/);
    expect(() => scheduleName("a", "bad prefix")).toThrow(TypeError);
    expect(() => scheduleName("a", "p".repeat(21))).toThrow(/1-20/);
  });
});
