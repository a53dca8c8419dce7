import { describe, expect, it } from "vitest";
import { REDACTED, redactPayload } from "./redact-payload.js";

describe("redactPayload", () => {
  it("replaces the fields at the paths, through nested objects and arrays, without modifying the input", () => {
    const payload = {
      email: "ada@example.com",
      card: { number: "4111", expiry: "12/30" },
      items: [{ sku: "A1", token: "t1" }, { sku: "B2", token: "t2" }, "plain"],
      nested: { email: "kept: only the root's email was asked for" },
    };
    const copy = structuredClone(payload);
    expect(redactPayload(payload, ["email", "card.number", "items.token"])).toEqual({
      email: REDACTED,
      card: { number: REDACTED, expiry: "12/30" },
      items: [{ sku: "A1", token: REDACTED }, { sku: "B2", token: REDACTED }, "plain"],
      nested: { email: "kept: only the root's email was asked for" },
    });
    expect(payload).toEqual(copy);
  });

  it("matches any key with *, and redacts whole subtrees", () => {
    expect(
      redactPayload({ a: { secret: 1, x: 2 }, b: { secret: 3 }, card: { n: 1 } }, [
        "*.secret",
        "card",
      ]),
    ).toEqual({ a: { secret: REDACTED, x: 2 }, b: { secret: REDACTED }, card: REDACTED });
  });

  it("keeps a __proto__ key as data, without touching prototypes", () => {
    const payload = JSON.parse('{"__proto__": {"polluted": true, "secret": "s"}}');
    const out = redactPayload(payload, ["__proto__.secret"]) as Record<string, unknown>;
    expect(Object.getPrototypeOf(out)).toBe(Object.prototype);
    expect(Object.getOwnPropertyDescriptor(out, "__proto__")?.value).toEqual({
      polluted: true,
      secret: REDACTED,
    });
    expect(({} as Record<string, unknown>).polluted).toBeUndefined();
  });

  it("leaves values without the paths alone", () => {
    expect(redactPayload("text", ["email"])).toBe("text");
    expect(redactPayload(null, ["email"])).toBe(null);
    expect(redactPayload({ email: "x" }, [])).toEqual({ email: "x" });
  });
});
