import { describe, expect, it } from "vitest";
import {
  DEFAULT_MAX_MESSAGE_BYTES,
  MAX_MESSAGE_BYTES,
  measureMessageBytes,
  utf8Length,
} from "./message-size.js";

describe("limits", () => {
  it("are SQS's 256 KiB default and 1 MiB maximum", () => {
    expect(DEFAULT_MAX_MESSAGE_BYTES).toBe(256 * 1024);
    expect(MAX_MESSAGE_BYTES).toBe(1024 * 1024);
  });
});

describe("utf8Length", () => {
  it("counts one byte per ASCII character", () => {
    expect(utf8Length("")).toBe(0);
    expect(utf8Length("hello")).toBe(5);
    expect(utf8Length('{"a":1}')).toBe(7);
    expect(utf8Length("\u007f")).toBe(1);
  });

  it("counts multi-byte characters as UTF-8 does", () => {
    expect(utf8Length("é")).toBe(2);
    expect(utf8Length("café")).toBe(5);
    expect(utf8Length("€")).toBe(3);
    expect(utf8Length("😀")).toBe(4); // one code point, two UTF-16 units
    expect(utf8Length("a😀é")).toBe(7);
    expect(utf8Length("\u0080")).toBe(2);
  });

  it("agrees with Buffer.byteLength on mixed text", () => {
    const text = `${"x".repeat(100)}é${"😀".repeat(10)}日本語`;
    expect(utf8Length(text)).toBe(Buffer.byteLength(text, "utf8"));
  });
});

describe("measureMessageBytes", () => {
  it("counts the body alone when there are no attributes", () => {
    expect(measureMessageBytes("hello")).toBe(5);
    expect(measureMessageBytes("hello", {})).toBe(5);
  });

  it("counts each attribute as name + data type (String) + value", () => {
    // "glasswork.job" (13) + "String" (6) + "send-email" (10)
    expect(measureMessageBytes("{}", { "glasswork.job": "send-email" })).toBe(2 + 13 + 6 + 10);
    expect(measureMessageBytes("", { a: "b", cd: "" })).toBe(1 + 6 + 1 + (2 + 6 + 0));
  });

  it("counts multi-byte body and attributes in UTF-8 bytes", () => {
    expect(measureMessageBytes("é😀", { é: "😀" })).toBe(6 + 2 + 6 + 4);
  });
});
