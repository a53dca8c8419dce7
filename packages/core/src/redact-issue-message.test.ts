import { describe, expect, it } from "vitest";
import { redactIssueMessage } from "./redact-issue-message.js";

describe("redactIssueMessage", () => {
  it.each([
    [
      'Invalid type: Expected string but received "4111 1111 1111 1111"',
      "Invalid type: Expected string but received [redacted]",
    ],
    [
      "Invalid length: Expected 3 but received 98765",
      "Invalid length: Expected 3 but received [redacted]",
    ],
    [
      'Invalid option: Expected "a" | "b" but received "secret-token"',
      'Invalid option: Expected "a" | "b" but received [redacted]',
    ],
    ['must be a number (was "sk_live_abc")', "must be a number (was [redacted])"],
    ["Expected string, received: 4111", "Expected string, received: [redacted]"],
  ])("removes the value from %j", (message, redacted) => {
    expect(redactIssueMessage(message)).toBe(redacted);
  });

  it.each([
    "Invalid type: Expected string but received number",
    "Invalid type: Expected Object but received null",
    "Expected string, received undefined",
    "must be a number (was string)",
    "id must be a string",
  ])("keeps a message that quotes no value: %j", (message) => {
    expect(redactIssueMessage(message)).toBe(message);
  });
});
