import { queueStats } from "@glasswork/ops";
import type { Handler } from "hono";
import type { DashboardEnv, DashboardRuntime } from "../internal/dashboard-env.js";
import { pageContext } from "../views/page-context.js";
import { queuesView } from "../views/queues-view.js";

/** `GET /`: the queues view. */
export function queuesRoute(rt: DashboardRuntime): Handler<DashboardEnv> {
  return async (c) => {
    const reports = await queueStats(rt.options.driver, rt.options.queues);
    return c.html(queuesView(pageContext(c, rt), reports));
  };
}
