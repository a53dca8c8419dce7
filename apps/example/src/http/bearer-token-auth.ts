import { createHash, timingSafeEqual } from "node:crypto";
import type { OperatorAuth } from "./operator-auth.js";

const digest = (value: string) => createHash("sha256").update(value).digest();

/**
 * Operators present `Authorization: Bearer <token>`. Compared in constant time (as digests, so
 * lengths do not leak either).
 */
export function bearerTokenAuth(token: string): OperatorAuth {
  if (token.length < 16) throw new Error("the operator token must be at least 16 characters");
  const expected = digest(token);
  return (c) => {
    const header = c.req.header("authorization") ?? "";
    const match = /^Bearer (.+)$/.exec(header);
    return match?.[1] !== undefined && timingSafeEqual(digest(match[1]), expected);
  };
}
