import { describe, expect, it } from "vitest";
import { decodeEnvelope, encodeEnvelope } from "./envelope.js";

const claim = { store: "s3", bucket: "b", key: "k", bytes: 12, sha256: "f".repeat(64) };
const base = { v: 1, id: "job-1", name: "render", enqueuedAt: "2026-12-01T10:00:00.000Z" };

describe("decodeEnvelope with a claim", () => {
  it("reads an envelope whose payload is replaced by a claim", () => {
    const result = decodeEnvelope(encodeEnvelope({ ...base, v: 1, claim }));
    expect(result).toEqual({ ok: true, envelope: { ...base, claim } });
  });

  it("refuses an envelope with both a payload and a claim", () => {
    const result = decodeEnvelope(JSON.stringify({ ...base, payload: {}, claim }));
    expect(result).toMatchObject({
      ok: false,
      error: {
        reason: "invalid-field",
        message: expect.stringContaining("the envelope has both a payload and a claim"),
      },
    });
  });

  it.each([
    ["a string", "s3://b/k"],
    ["no digest", { ...claim, sha256: undefined }],
    ["an upper-case digest", { ...claim, sha256: "F".repeat(64) }],
    ["negative bytes", { ...claim, bytes: -1 }],
    ["a numeric key", { ...claim, key: 7 }],
  ])("refuses a claim with %s", (_, bad) => {
    const result = decodeEnvelope(JSON.stringify({ ...base, claim: bad }));
    expect(result).toMatchObject({
      ok: false,
      error: {
        reason: "invalid-field",
        message: expect.stringContaining("claim is not a payload claim"),
      },
    });
  });

  it("still refuses an envelope with neither (what a worker without claim support says of a claimed one)", () => {
    const result = decodeEnvelope(JSON.stringify(base));
    expect(result).toMatchObject({
      ok: false,
      error: {
        reason: "invalid-field",
        message: expect.stringContaining("the payload is missing"),
      },
    });
  });
});
