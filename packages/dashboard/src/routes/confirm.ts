import { listDeadLetters } from "@glasswork/ops";
import type { Handler } from "hono";
import type { DashboardEnv, DashboardRuntime } from "../internal/dashboard-env.js";
import { describeScope } from "../internal/dead-letter-scope.js";
import { opsOptions } from "../internal/ops-options.js";
import { resolveTarget } from "../internal/resolve-target.js";
import { confirmView } from "../views/confirm-view.js";
import { pageContext } from "../views/page-context.js";

/**
 * `GET /queues/:queue/redrive` and `…/delete`: the confirm step of an action on dead letters,
 * with how many the chosen scope covers now (read through ops' listing, like the action itself).
 */
export function confirmRoute(
  rt: DashboardRuntime,
  action: "redrive" | "delete",
): Handler<DashboardEnv> {
  return async (c) => {
    const target = resolveTarget(c, rt, c.req.query());
    if ("response" in target) return target.response;
    const { queue, scope } = target;
    const { letters } = await rt.locks.run(queue, () =>
      listDeadLetters(rt.options.driver, queue, { ...opsOptions(rt), ...scope.filter }),
    );
    return c.html(
      confirmView(pageContext(c, rt), {
        action,
        queue,
        scope: describeScope(scope, letters.length),
        fields: scope.fields,
      }),
    );
  };
}
