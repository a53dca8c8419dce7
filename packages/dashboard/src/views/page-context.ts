import type { Context } from "hono";
import type { DashboardEnv, DashboardRuntime } from "../internal/dashboard-env.js";

/** What every page needs to render links, forms and its inline script. */
export interface PageContext {
  readonly base: string;
  /** The queues view: `base` itself, as Hono matches a mounted app's root without a slash. */
  readonly home: string;
  readonly csrfToken: string;
  readonly nonce: string;
  readonly title: string;
  readonly refreshSeconds: number;
  readonly hasTimeline: boolean;
}

/** The page context of a request. */
export function pageContext(c: Context<DashboardEnv>, rt: DashboardRuntime): PageContext {
  const base = c.get("dashboardBase");
  return {
    base,
    home: base || "/",
    csrfToken: c.get("csrfToken"),
    nonce: c.get("cspNonce"),
    title: rt.options.title ?? "Glasswork Jobs",
    refreshSeconds: rt.options.refreshSeconds ?? 2,
    hasTimeline: rt.options.timeline !== undefined,
  };
}
