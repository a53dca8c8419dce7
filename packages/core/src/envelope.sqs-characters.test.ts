import { describe, expect, it } from "vitest";
import { decodeEnvelope, encodeEnvelope, type JobEnvelope } from "./envelope.js";
import { findRefusedCharacter } from "./message-characters.js";

// Issue 18 item 4: JSON.stringify leaves U+FFFE/U+FFFF raw, which SQS refuses
// (InvalidMessageContents): the mock accepted such a job, production did not.

const envelope = (payload: unknown): JobEnvelope => ({
  v: 1,
  id: "job-1",
  name: "import-row",
  payload,
  enqueuedAt: "2026-12-01T00:00:00.000Z",
});

describe("an envelope whose payload holds characters SQS refuses raw", () => {
  it.each([
    ["U+FFFF", "end\uFFFF"],
    ["U+FFFE", "\uFFFEbom"],
    ["a lone high surrogate", "half \uD83D"],
    ["a lone low surrogate", "\uDE00 half"],
    ["NUL and ESC", "a\u0000b\u001B[31m"],
  ])("encodes %s as an escape SQS accepts, and decodes it unchanged", (_, text) => {
    const payload = { text, [text]: "as a key too" };
    const body = encodeEnvelope(envelope(payload));
    expect(findRefusedCharacter(body)).toBeUndefined();
    const decoded = decodeEnvelope(body);
    expect(decoded.ok && decoded.envelope.payload).toEqual(payload);
  });

  it("leaves characters SQS accepts as they are (no escape for U+FFFD or astral characters)", () => {
    const body = encodeEnvelope(envelope("é \uFFFD 😀"));
    expect(body).toContain('"é \uFFFD 😀"');
  });

  it("writes the same body as JSON.stringify when there is nothing to escape", () => {
    const plain = envelope({ userId: "u_1" });
    expect(encodeEnvelope(plain)).toBe(JSON.stringify(plain));
  });
});
