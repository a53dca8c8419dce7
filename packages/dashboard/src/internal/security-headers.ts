import { randomBytes } from "node:crypto";
import type { MiddlewareHandler } from "hono";
import type { DashboardEnv } from "./dashboard-env.js";

/**
 * A strict Content-Security-Policy with a fresh nonce for the inline style and script, so that
 * markup slipping through escaping still could not run script or load anything from elsewhere;
 * pages are never cached (they show payloads) and never framed.
 */
export function securityHeaders(): MiddlewareHandler<DashboardEnv> {
  return async (c, next) => {
    const nonce = randomBytes(16).toString("base64");
    c.set("cspNonce", nonce);
    await next();
    c.header(
      "content-security-policy",
      [
        "default-src 'none'",
        `style-src 'nonce-${nonce}'`,
        `script-src 'nonce-${nonce}'`,
        "connect-src 'self'",
        "img-src 'self' data:",
        "form-action 'self'",
        "frame-ancestors 'none'",
        "base-uri 'none'",
      ].join("; "),
    );
    c.header("x-content-type-options", "nosniff");
    c.header("x-frame-options", "DENY");
    // Not "no-referrer": with it, browsers send `Origin: null` on form posts, which the CSRF check refuses.
    c.header("referrer-policy", "same-origin");
    c.header("cache-control", "no-store");
  };
}
