import { redriveDeadLetters } from "@glasswork/ops";
import type { Handler } from "hono";
import type { DashboardEnv, DashboardRuntime } from "../internal/dashboard-env.js";
import { describeScope } from "../internal/dead-letter-scope.js";
import { opsOptions } from "../internal/ops-options.js";
import { resolveTarget } from "../internal/resolve-target.js";
import { confirmRoute } from "./confirm.js";

/** `GET /queues/:queue/redrive`: the confirm step, with what would move (a dry run). */
export function redriveConfirmRoute(rt: DashboardRuntime): Handler<DashboardEnv> {
  return confirmRoute(rt, "redrive");
}

/**
 * `POST /queues/:queue/redrive`: starts a redrive (`redriveDeadLetters`, bounded by what is in
 * the dead-letter queue now) and redirects to its progress page.
 */
export function redriveRoute(rt: DashboardRuntime): Handler<DashboardEnv> {
  return async (c) => {
    const target = resolveTarget(c, rt, await c.req.parseBody());
    if ("response" in target) return target.response;
    const { queue, scope } = target;
    const rate = rt.options.redriveRatePerSecond;
    const task = rt.tasks.start("redrive", queue, describeScope(scope), async (report) => {
      const result = await rt.locks.run(queue, () =>
        redriveDeadLetters(rt.options.driver, queue, {
          ...opsOptions(rt),
          ...scope.filter,
          ...(rate === undefined ? {} : { ratePerSecond: rate }),
          onProgress: (p) =>
            report({ done: p.moved, failed: p.failed, skipped: p.skipped, total: p.total }),
        }),
      );
      report({
        done: result.moved,
        failed: result.failed,
        skipped: Object.values(result.skipped).reduce((a, b) => a + b, 0),
        total: result.moved + result.failed,
      });
      const left = Object.entries(result.skipped)
        .filter(([, count]) => count > 0)
        .map(([why, count]) => `${count} ${words(why)}`);
      return `moved ${result.moved} back to ${queue}${result.failed ? `, ${result.failed} could not be sent back` : ""}${left.length ? `; left in the dead-letter queue: ${left.join(", ")}` : ""} (${result.durationMs} ms).`;
    });
    return c.redirect(`${c.get("dashboardBase")}/tasks/${task.id}`, 303);
  };
}

function words(camel: string): string {
  return camel.replace(/[A-Z]/g, (letter) => ` ${letter.toLowerCase()}`);
}
