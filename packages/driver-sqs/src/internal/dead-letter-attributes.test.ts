import { DEAD_LETTER_ATTRIBUTES, type ReceivedMessage } from "@glasswork/core";
import { DEAD_LETTER_ERROR_MAX_LENGTH, measureMessageBytes } from "@glasswork/core/internal";
import { describe, expect, it } from "vitest";
import { deadLetterAttributes } from "./dead-letter-attributes.js";

const received = (attributes: Record<string, string>, body = "{}"): ReceivedMessage => ({
  queue: "my-app-jobs",
  messageId: "m-1",
  receiptHandle: "r-1",
  body,
  attributes,
  receiveCount: 3,
  sentTimestamp: 1,
  firstReceiveTimestamp: 2,
});

describe("deadLetterAttributes", () => {
  it("makes an error with terminal colours, a NUL and U+FFFF into text SQS accepts", () => {
    const attributes = deadLetterAttributes(received({}), {
      reason: "permanent",
      error: "\u001B[31mexpected\u001B[39m 200, got \u0000\uFFFF",
      attempt: 1,
    });
    expect(attributes[DEAD_LETTER_ATTRIBUTES.error]).toBe("expected 200, got \uFFFD\uFFFD");
  });

  it("leaves out an error that is nothing but terminal codes", () => {
    const attributes = deadLetterAttributes(received({}), {
      reason: "permanent",
      error: "\u001B[0m",
      attempt: 1,
    });
    expect(attributes).not.toHaveProperty(DEAD_LETTER_ATTRIBUTES.error);
  });

  it("adds the details to the original attributes", () => {
    expect(
      deadLetterAttributes(received({ "glasswork.job": "send-email" }), {
        reason: "permanent",
        error: "user gone",
        attempt: 3,
      }),
    ).toEqual({
      "glasswork.job": "send-email",
      [DEAD_LETTER_ATTRIBUTES.reason]: "permanent",
      [DEAD_LETTER_ATTRIBUTES.error]: "user gone",
      [DEAD_LETTER_ATTRIBUTES.attempt]: "3",
      [DEAD_LETTER_ATTRIBUTES.sourceQueue]: "my-app-jobs",
    });
  });

  it("leaves out an empty error, which SQS would refuse", () => {
    const attributes = deadLetterAttributes(received({}), {
      reason: "malformed",
      error: "",
      attempt: 1,
    });
    expect(attributes).not.toHaveProperty(DEAD_LETTER_ATTRIBUTES.error);
  });

  it("truncates a long error without splitting a surrogate pair", () => {
    const error = `${"a".repeat(DEAD_LETTER_ERROR_MAX_LENGTH - 2)}😀😀😀`;
    const truncated = deadLetterAttributes(received({}), {
      reason: "permanent",
      error,
      attempt: 1,
    })[DEAD_LETTER_ATTRIBUTES.error];
    expect(truncated).toBe(`${"a".repeat(DEAD_LETTER_ERROR_MAX_LENGTH - 2)}…`);
  });

  it("stays within SQS's 10 attributes, keeping the details", () => {
    const many = Object.fromEntries(Array.from({ length: 10 }, (_, i) => [`user.${i}`, "v"]));
    const attributes = deadLetterAttributes(received(many), {
      reason: "permanent",
      error: "e",
      attempt: 1,
    });
    expect(Object.keys(attributes)).toHaveLength(10);
    expect(attributes[DEAD_LETTER_ATTRIBUTES.reason]).toBe("permanent");
    expect(attributes).toHaveProperty("user.5");
    expect(attributes).not.toHaveProperty("user.6");
  });

  it("fits a copy of a body near the size limit: details go, the original's own attributes stay", () => {
    const limit = 262_144;
    const details = { reason: "malformed", error: "x".repeat(900), attempt: 1 } as const;
    const message = (room: number) =>
      received({ "glasswork.job": "send-email" }, "b".repeat(limit - room));
    // Room for everything but the error: the error goes first.
    const roomy = deadLetterAttributes(message(400), details, limit);
    expect(measureMessageBytes("b".repeat(limit - 400), roomy)).toBeLessThanOrEqual(limit);
    expect(roomy).toMatchObject({
      [DEAD_LETTER_ATTRIBUTES.reason]: "malformed",
      "glasswork.job": "send-email",
      [DEAD_LETTER_ATTRIBUTES.attempt]: "1",
      [DEAD_LETTER_ATTRIBUTES.sourceQueue]: "my-app-jobs",
    });
    expect(roomy).not.toHaveProperty(DEAD_LETTER_ATTRIBUTES.error);
    // Room for what the original had: the details go, its own attributes (the job name, a
    // signature a redrive needs) stay.
    expect(deadLetterAttributes(message(40), details, limit)).toEqual({
      "glasswork.job": "send-email",
    });
    // No room at all: a bare copy, which SQS still takes.
    expect(deadLetterAttributes(message(0), details, limit)).toEqual({});
  });
});
