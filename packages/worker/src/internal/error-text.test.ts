import { RetryExhaustedError } from "@glasswork/core";
import { DEAD_LETTER_ERROR_MAX_LENGTH, toAcceptedText } from "@glasswork/core/internal";
import { describe, expect, it } from "vitest";
import { errorText } from "./error-text.js";

describe("errorText", () => {
  it("writes the cause chain", () => {
    const error = new RetryExhaustedError("sync", 2, new Error("timeout", { cause: "socket" }));
    expect(errorText(error)).toBe(
      'RetryExhaustedError: Job "sync" failed 2 times and has no attempts left; caused by Error: timeout; caused by socket',
    );
  });

  it("cuts long text to the cap without splitting a surrogate pair", () => {
    const text = errorText(new Error(`${"x".repeat(DEAD_LETTER_ERROR_MAX_LENGTH - 9)}😀😀😀`));
    expect(text.length).toBeLessThanOrEqual(DEAD_LETTER_ERROR_MAX_LENGTH);
    expect(text.endsWith("…")).toBe(true);
    expect(toAcceptedText(text)).toBe(text);
  });

  it("survives a thrown value whose toString throws", () => {
    const hostile = {
      toString: () => {
        throw new Error("no");
      },
    };
    expect(errorText(hostile)).toBe("[object Object]");
  });
});
