import type { Handler } from "hono";
import type { DashboardEnv, DashboardRuntime } from "../internal/dashboard-env.js";
import { timelineRows } from "../internal/timeline-rows.js";
import { messageView } from "../views/message-view.js";
import { pageContext } from "../views/page-context.js";
import { timelineView } from "../views/timeline-view.js";

/** `GET /timeline`: recent job events of this process (needs the `timeline` option). */
export function timelineRoute(rt: DashboardRuntime): Handler<DashboardEnv> {
  return (c) => {
    const page = pageContext(c, rt);
    const { timeline } = rt.options;
    if (!timeline) {
      return c.html(
        messageView(
          page,
          "No timeline",
          "Pass createJobTimeline()'s hooks to your JobService and worker, and the timeline to dashboard().",
        ),
        404,
      );
    }
    return c.html(timelineView(page, timelineRows(timeline.events())));
  };
}
