import { deleteDeadLetters } from "@glasswork/ops";
import type { Handler } from "hono";
import type { DashboardEnv, DashboardRuntime } from "../internal/dashboard-env.js";
import { describeScope } from "../internal/dead-letter-scope.js";
import { opsOptions } from "../internal/ops-options.js";
import { resolveTarget } from "../internal/resolve-target.js";
import { messageView } from "../views/message-view.js";
import { pageContext } from "../views/page-context.js";
import { confirmRoute } from "./confirm.js";

/** `GET /queues/:queue/delete`: the confirm step, which asks for the queue's name. */
export function deleteConfirmRoute(rt: DashboardRuntime): Handler<DashboardEnv> {
  return confirmRoute(rt, "delete");
}

/**
 * `POST /queues/:queue/delete`: deletes the dead letters for good (`deleteDeadLetters`, which
 * insists on the queue's name as confirmation) and redirects to the result.
 */
export function deleteRoute(rt: DashboardRuntime): Handler<DashboardEnv> {
  return async (c) => {
    const form = await c.req.parseBody();
    const target = resolveTarget(c, rt, form);
    if ("response" in target) return target.response;
    const { queue, scope } = target;
    const confirm = typeof form.confirm === "string" ? form.confirm.trim() : "";
    if (confirm !== queue) {
      return c.html(
        messageView(
          pageContext(c, rt),
          "Not deleted",
          `Type the queue's name (${queue}) to confirm: nothing was deleted.`,
        ),
        400,
      );
    }
    const task = rt.tasks.start("delete", queue, describeScope(scope), async (report) => {
      const result = await rt.locks.run(queue, () =>
        deleteDeadLetters(rt.options.driver, queue, {
          ...opsOptions(rt),
          ...scope.filter,
          confirm,
        }),
      );
      report({ done: result.deleted, failed: 0, skipped: 0, total: result.deleted });
      return `deleted ${result.deleted} dead letters of ${queue} for good.`;
    });
    return c.redirect(`${c.get("dashboardBase")}/tasks/${task.id}`, 303);
  };
}
