import { tokenAuth } from "@glasswork/dashboard";
import type { MiddlewareHandler } from "hono";
import type { OperatorAuth } from "./operator-auth.js";

/**
 * The dashboard's auth: the operator routes' own check first (a script or the CLI sends the
 * bearer token), then, for a browser, which cannot add that header, the same operator token
 * once in the URL (`/dashboard?token=…`), exchanged for an HttpOnly, SameSite=Strict cookie.
 */
export function dashboardAuth(
  operatorAuth: OperatorAuth,
  operatorToken: string,
): MiddlewareHandler {
  const browser = tokenAuth({ token: operatorToken });
  return async (c, next) => (operatorAuth(c) ? next() : browser(c, next));
}
