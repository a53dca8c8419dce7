import type { Context } from "hono";
import type { DashboardEnv, DashboardRuntime } from "./dashboard-env.js";

/** The `:queue` of the request when it is one the dashboard shows; `undefined` otherwise. */
export function knownQueue(c: Context<DashboardEnv>, rt: DashboardRuntime): string | undefined {
  const queue = c.req.param("queue");
  return queue !== undefined && rt.options.queues.includes(queue) ? queue : undefined;
}
