import { createHmac, randomBytes, timingSafeEqual } from "node:crypto";
import type { MiddlewareHandler } from "hono";
import { getCookie, setCookie } from "hono/cookie";
import type { DashboardEnv } from "./dashboard-env.js";

const SESSION_COOKIE = "glasswork_dashboard_session";
/** The hidden form field every POST must carry. */
export const CSRF_FIELD = "_csrf";

/**
 * Gives each browser session a random id (HttpOnly, SameSite=Strict cookie) and derives its
 * CSRF token from it with a per-dashboard secret. Every state-changing request must come from
 * the dashboard's own origin (Origin and Sec-Fetch-Site, when the browser sends them) and carry
 * the session's token in the form; otherwise 403 and nothing happens.
 */
export function sessionCsrf(): MiddlewareHandler<DashboardEnv> {
  const secret = randomBytes(32);
  const tokenOf = (session: string) =>
    createHmac("sha256", secret).update(session).digest("base64url");

  return async (c, next) => {
    let session = getCookie(c, SESSION_COOKIE);
    if (session === undefined || !/^[A-Za-z0-9_-]{32,64}$/.test(session)) {
      session = randomBytes(24).toString("base64url");
      setCookie(c, SESSION_COOKIE, session, {
        httpOnly: true,
        sameSite: "Strict",
        secure: new URL(c.req.url).protocol === "https:",
        path: c.get("dashboardBase") || "/",
      });
    }
    const expected = tokenOf(session);
    c.set("csrfToken", expected);
    if (c.req.method === "GET" || c.req.method === "HEAD") return next();

    const refusal = crossSite(c.req.url, c.req.header("origin"), c.req.header("sec-fetch-site"));
    if (refusal) return c.text(`Refused: ${refusal}.`, 403);
    const contentType = c.req.header("content-type") ?? "";
    const form =
      contentType.startsWith("application/x-www-form-urlencoded") ||
      contentType.startsWith("multipart/form-data")
        ? await c.req.parseBody()
        : {};
    const given = form[CSRF_FIELD];
    if (typeof given !== "string" || !sameString(given, expected)) {
      return c.text("Refused: missing or wrong CSRF token. Reload the page and try again.", 403);
    }
    return next();
  };
}

function crossSite(
  url: string,
  origin: string | undefined,
  fetchSite: string | undefined,
): string | undefined {
  if (fetchSite !== undefined && fetchSite !== "same-origin") {
    return `a ${fetchSite} request cannot change anything`;
  }
  if (origin !== undefined && origin !== new URL(url).origin) {
    return `requests from ${origin} cannot change anything`;
  }
  return undefined;
}

function sameString(a: string, b: string): boolean {
  const left = Buffer.from(a);
  const right = Buffer.from(b);
  return left.length === right.length && timingSafeEqual(left, right);
}
