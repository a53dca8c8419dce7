import { queueStats } from "@glasswork/ops";
import type { Handler } from "hono";
import type { DashboardEnv, DashboardRuntime } from "../internal/dashboard-env.js";
import { timelineRows } from "../internal/timeline-rows.js";

/**
 * `GET /api/live`: queue depths (and, with `?timeline=1`, the timeline) as JSON, for the
 * pages' live refresh. Counts and job names only: never a payload.
 */
export function liveRoute(rt: DashboardRuntime): Handler<DashboardEnv> {
  return async (c) => {
    const reports = await queueStats(rt.options.driver, rt.options.queues);
    const timeline =
      c.req.query("timeline") !== undefined && rt.options.timeline
        ? timelineRows(rt.options.timeline.events())
        : null;
    return c.json({
      at: new Date().toISOString(),
      queues: reports.map((r) => ({
        queue: r.queue,
        stats: r.stats,
        deadLetters: r.deadLetters ?? null,
      })),
      timeline,
    });
  };
}
