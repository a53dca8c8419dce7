import { describe, expect, it } from "vitest";
import { checkKeyPrefix, claimKey } from "./claim-key.js";

const sha = "a".repeat(64);

describe("claimKey", () => {
  it("puts the job id and the digest under the prefix", () => {
    expect(claimKey("glasswork/claims/", "order-42_x", sha)).toBe(
      `glasswork/claims/order-42_x/${sha}.json`,
    );
  });

  it("percent-encodes every character of the id that could add a path segment", () => {
    const key = claimKey("p/", "../../etc/passwd", sha);
    expect(key).toBe(`p/%2E%2E%2F%2E%2E%2Fetc%2Fpasswd/${sha}.json`);
    expect(key.split("/")).toHaveLength(3);
  });
});

describe("checkKeyPrefix", () => {
  it("accepts an empty prefix and /-terminated segments", () => {
    expect(() => checkKeyPrefix("")).not.toThrow();
    expect(() => checkKeyPrefix("jobs/large.payloads/")).not.toThrow();
  });

  it.each(["claims", "/claims/", "../claims/", "a/./", "a//", "a b/"])("refuses %j", (prefix) => {
    expect(() => checkKeyPrefix(prefix)).toThrow(TypeError);
  });
});
