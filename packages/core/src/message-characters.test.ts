import { describe, expect, it } from "vitest";
import { findRefusedCharacter, toAcceptedText } from "./message-characters.js";

describe("findRefusedCharacter", () => {
  it("accepts tab, newline, carriage return, the BMP up to U+FFFD outside surrogates, and astral characters", () => {
    expect(
      findRefusedCharacter("a\tb\nc\r d é \uD7FF \uE000 \uFFFD 😀 \u{10FFFF}"),
    ).toBeUndefined();
  });

  it.each([
    ["\u0000", "U+0000"],
    ["\u001B", "U+001B"],
    ["\uFFFE", "U+FFFE"],
    ["\uFFFF", "U+FFFF"],
    ["\uD800", "U+D800"],
    ["\uDFFF", "U+DFFF"],
  ])("refuses %j as %s, with its index", (char, codePoint) => {
    expect(findRefusedCharacter(`ok ${char}`)).toEqual({ index: 3, codePoint });
  });
});

describe("toAcceptedText", () => {
  it("removes terminal colour codes and replaces other refused characters with U+FFFD", () => {
    const text = toAcceptedText("\u001B[31mexpected\u001B[39m a\u0000b \uD800 \uFFFF");
    expect(text).toBe("expected a\uFFFDb \uFFFD \uFFFD");
    expect(findRefusedCharacter(text)).toBeUndefined();
  });

  it("removes colour and OSC escapes, replaces what SQS refuses, keeps tabs, newlines and astral characters", () => {
    expect(
      toAcceptedText("\u001b[1;31mred\u001b[0m \u001b]8;;http://x\u0007link\u001b]8;;\u0007"),
    ).toBe("red link");
    expect(toAcceptedText("a\u0000b\u0007c\u001fd\ufffee\uffffz")).toBe(
      "a\ufffdb\ufffdc\ufffdd\ufffde\ufffdz",
    );
    expect(toAcceptedText("lone \ud800 high, lone \udc00 low, pair 😀")).toBe(
      "lone \ufffd high, lone \ufffd low, pair 😀",
    );
    expect(toAcceptedText("tab\tnew\nline\r")).toBe("tab\tnew\nline\r");
  });
});
