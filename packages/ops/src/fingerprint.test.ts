import { describe, expect, it } from "vitest";
import { fingerprintOf, normaliseErrorMessage } from "./fingerprint.js";
import { groupDeadLetters } from "./group-dead-letters.js";
import { listDeadLetters } from "./list-dead-letters.js";
import { mockWithDeadLetters, sendEmail } from "./test-dead-letters.js";

describe("normaliseErrorMessage", () => {
  it.each([
    ["user u_42 not found after 3 tries", "user <id> not found after <n> tries"],
    ['timeout after 3012 ms for "order-7"', "timeout after <n> ms for <str>"],
    ["lock 3f2a9c1e-0b7d-4c1a-9f0e-2d6b8a1c4e5f held", "lock <uuid> held"],
    ["at 2026-11-30T10:00:00.000Z: 503", "at <date>: <n>"],
    ["object 5f2b9c0d1e3a4b5c6d7e8f90 missing", "object <hex> missing"],
    ["  many\n  spaces  ", "many spaces"],
  ])("%j → %j", (message, normalised) => {
    expect(normaliseErrorMessage(message)).toBe(normalised);
  });
});

describe("fingerprintOf", () => {
  it("is the same for one failure with different ids and differs by job and reason", () => {
    const a = fingerprintOf({
      jobName: "send-email",
      reason: "permanent",
      error: "user u_1 not found",
    });
    const b = fingerprintOf({
      jobName: "send-email",
      reason: "permanent",
      error: "user u_2 not found",
    });
    const otherJob = fingerprintOf({
      jobName: "charge",
      reason: "permanent",
      error: "user u_1 not found",
    });
    const otherReason = fingerprintOf({
      jobName: "send-email",
      reason: "retry-exhausted",
      error: "user u_1 not found",
    });
    expect(a).toBe(b);
    expect(new Set([a, otherJob, otherReason]).size).toBe(3);
  });
});

describe("groupDeadLetters", () => {
  it("counts each fingerprint with first and last seen, the largest group first", async () => {
    const { driver, clock } = await mockWithDeadLetters([]);
    const { deadLetter } = await import("./test-dead-letters.js");
    await deadLetter(driver, [
      { job: sendEmail, key: "u_1", reason: "permanent", error: "SMTP 451" },
    ]);
    clock.advance(60);
    await deadLetter(driver, [
      { job: sendEmail, key: "u_2", reason: "permanent", error: "user u_2 not found" },
      { job: sendEmail, key: "u_3", reason: "permanent", error: "user u_3 not found" },
    ]);
    clock.advance(60);
    await deadLetter(driver, [
      { job: sendEmail, key: "u_4", reason: "permanent", error: "user u_4 not found" },
    ]);

    const { letters } = await listDeadLetters(driver, "default", { waitTimeSeconds: 0 });
    const groups = groupDeadLetters(letters);

    expect(groups.map((g) => [g.count, g.error])).toEqual([
      [3, "user <id> not found"],
      [1, "SMTP <n>"],
    ]);
    expect(groups[0]?.lastSeen.getTime() ?? 0).toBeGreaterThan(groups[0]?.firstSeen.getTime() ?? 0);
    expect(groups[0]?.sampleError).toBe("user u_4 not found");
  });
});
