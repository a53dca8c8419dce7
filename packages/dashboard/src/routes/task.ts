import type { Handler } from "hono";
import type { DashboardEnv, DashboardRuntime } from "../internal/dashboard-env.js";
import { messageView } from "../views/message-view.js";
import { pageContext } from "../views/page-context.js";
import { taskView } from "../views/task-view.js";

/** `GET /tasks/:id`: a redrive's or delete's progress page, then its result. */
export function taskRoute(rt: DashboardRuntime): Handler<DashboardEnv> {
  return (c) => {
    const task = rt.tasks.get(c.req.param("id") ?? "");
    const page = pageContext(c, rt);
    if (!task)
      return c.html(
        messageView(page, "Not found", "No such task (they are kept for a while only)."),
        404,
      );
    return c.html(taskView(page, task));
  };
}

/** `GET /api/tasks/:id`: the task's progress as JSON, polled by its page. */
export function taskProgressRoute(rt: DashboardRuntime): Handler<DashboardEnv> {
  return (c) => {
    const task = rt.tasks.get(c.req.param("id") ?? "");
    if (!task) return c.json({ error: "no such task" }, 404);
    return c.json({
      id: task.id,
      status: task.status,
      progress: { ...task.progress, total: task.progress.total ?? null },
      summary: task.summary ?? null,
    });
  };
}
