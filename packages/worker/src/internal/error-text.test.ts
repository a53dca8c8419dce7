import { RetryExhaustedError } from "@glasswork/core";
import { DEAD_LETTER_ERROR_MAX_LENGTH } from "@glasswork/core/internal";
import { describe, expect, it } from "vitest";
import { errorText, sqsText } from "./error-text.js";

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
    expect(sqsText(text)).toBe(text);
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

describe("sqsText", () => {
  it("removes colour and OSC escapes, replaces what SQS refuses, keeps tabs, newlines and astral characters", () => {
    expect(sqsText("\u001b[1;31mred\u001b[0m \u001b]8;;http://x\u0007link\u001b]8;;\u0007")).toBe(
      "red link",
    );
    expect(sqsText("a\u0000b\u0007c\u001fd\ufffee\uffffz")).toBe(
      "a\ufffdb\ufffdc\ufffdd\ufffde\ufffdz",
    );
    expect(sqsText("lone \ud800 high, lone \udc00 low, pair 😀")).toBe(
      "lone \ufffd high, lone \ufffd low, pair 😀",
    );
    expect(sqsText("tab\tnew\nline\r")).toBe("tab\tnew\nline\r");
  });
});
