import { createHmac, timingSafeEqual } from "node:crypto";
import type { MiddlewareHandler } from "hono";
import { getCookie, setCookie } from "hono/cookie";
import { basePath } from "hono/route";

/** Options of {@link tokenAuth}. */
export interface TokenAuthOptions {
  /** The secret operators present. At least 16 characters. */
  readonly token: string;
  /** Name of the cookie set after `?token=`. Default `glasswork_dashboard_auth`. */
  readonly cookieName?: string;
}

/**
 * An auth middleware for the dashboard based on one shared token: `Authorization: Bearer
 * <token>`, or the token once in the URL (`?token=…`), which is exchanged for an HttpOnly,
 * SameSite=Strict cookie and removed from the address bar by a redirect. `serveDashboard`
 * uses it with a random token; use it for a mounted dashboard too when your operators have a
 * token rather than a login.
 *
 * @example
 * // given: app, driver, token
 * app.route("/jobs", dashboard({ driver, queues: ["default"], auth: tokenAuth({ token }) }));
 * // then open http://localhost:3000/jobs?token=<token>
 */
export function tokenAuth(options: TokenAuthOptions): MiddlewareHandler {
  if (options.token.length < 16) {
    throw new RangeError("the dashboard token must be at least 16 characters");
  }
  const cookieName = options.cookieName ?? "glasswork_dashboard_auth";
  // The cookie carries a MAC of the token, not the token: a leaked cookie does not reveal it.
  const cookieValue = mac(options.token, "glasswork-dashboard-cookie").toString("base64url");
  // Compared as digests in constant time, so neither the value nor its length leaks.
  const equalTo = (secret: string) => {
    const expected = mac(secret, "compare");
    return (candidate: string | undefined) =>
      candidate !== undefined && timingSafeEqual(mac(candidate, "compare"), expected);
  };
  const isToken = equalTo(options.token);
  const isCookie = equalTo(cookieValue);

  return async (c, next) => {
    const bearer = /^Bearer (.+)$/.exec(c.req.header("authorization") ?? "")?.[1];
    if (isToken(bearer) || isCookie(getCookie(c, cookieName))) return next();
    const fromUrl = c.req.query("token");
    if ((c.req.method === "GET" || c.req.method === "HEAD") && isToken(fromUrl)) {
      const url = new URL(c.req.url);
      url.searchParams.delete("token");
      setCookie(c, cookieName, cookieValue, {
        httpOnly: true,
        sameSite: "Strict",
        secure: url.protocol === "https:",
        path: basePath(c) || "/",
      });
      c.header("cache-control", "no-store");
      c.header("referrer-policy", "no-referrer");
      return c.redirect(`${url.pathname}${url.search}`, 303);
    }
    c.header("www-authenticate", "Bearer");
    c.header("cache-control", "no-store");
    return c.text(
      "Dashboard authentication required: open the URL printed when the dashboard started (it ends in ?token=…), or send Authorization: Bearer <token>.",
      401,
    );
  };
}

function mac(value: string, purpose: string): Buffer {
  return createHmac("sha256", purpose).update(value).digest();
}
