import { Hono } from "hono";
import { basePath } from "hono/route";
import type { DashboardOptions } from "./dashboard-options.js";
import { DashboardAuthRequiredError } from "./errors.js";
import type { DashboardEnv, DashboardRuntime } from "./internal/dashboard-env.js";
import { QueueLock } from "./internal/queue-lock.js";
import { securityHeaders } from "./internal/security-headers.js";
import { sessionCsrf } from "./internal/session-csrf.js";
import { TaskRegistry } from "./internal/task-registry.js";
import { deadLetterDetailRoute } from "./routes/dead-letter-detail.js";
import { deadLetterGroupsRoute } from "./routes/dead-letter-groups.js";
import { deleteConfirmRoute, deleteRoute } from "./routes/delete.js";
import { liveRoute } from "./routes/live.js";
import { queuesRoute } from "./routes/queues.js";
import { redriveConfirmRoute, redriveRoute } from "./routes/redrive.js";
import { taskProgressRoute, taskRoute } from "./routes/task.js";
import { timelineRoute } from "./routes/timeline.js";
import { messageView } from "./views/message-view.js";
import { pageContext } from "./views/page-context.js";

/**
 * The jobs dashboard as a Hono sub-app: queue depths (live), dead letters grouped by
 * fingerprint with show / redrive / delete, a job detail with redacted payload, and the live
 * timeline of this process's jobs. Every rule (what a redrive moves, what a fingerprint is)
 * is `@glasswork/ops`'s. It throws unless given an `auth` middleware or `unsafeNoAuth: true`;
 * every action is a POST with a CSRF token and a same-origin check.
 *
 * @example
 * // given: Hono, driver, token
 * import { dashboard, tokenAuth } from "@glasswork/dashboard";
 *
 * const app = new Hono();
 * app.route("/jobs", dashboard({ driver, queues: ["default"], auth: tokenAuth({ token }) }));
 */
export function dashboard(options: DashboardOptions): Hono<DashboardEnv> {
  if (!options.auth && options.unsafeNoAuth !== true) throw new DashboardAuthRequiredError();
  const rt: DashboardRuntime = { options, tasks: new TaskRegistry(), locks: new QueueLock() };
  const app = new Hono<DashboardEnv>();

  app.use(securityHeaders());
  app.use(async (c, next) => {
    c.set("dashboardBase", basePath(c).replace(/\/$/, ""));
    await next();
  });
  if (options.auth) app.use(options.auth);
  app.use(sessionCsrf());

  app.get("/", queuesRoute(rt));
  app.get("/api/live", liveRoute(rt));
  app.get("/queues/:queue/dead-letters", deadLetterGroupsRoute(rt));
  app.get("/queues/:queue/dead-letters/:messageId", deadLetterDetailRoute(rt));
  app.get("/queues/:queue/redrive", redriveConfirmRoute(rt));
  app.post("/queues/:queue/redrive", redriveRoute(rt));
  app.get("/queues/:queue/delete", deleteConfirmRoute(rt));
  app.post("/queues/:queue/delete", deleteRoute(rt));
  app.get("/tasks/:id", taskRoute(rt));
  app.get("/api/tasks/:id", taskProgressRoute(rt));
  app.get("/timeline", timelineRoute(rt));

  app.notFound((c) => c.html(messageView(pageContext(c, rt), "Not found", "No such page."), 404));
  app.onError((error, c) => {
    // Operators need the reason (no dead-letter queue, SQS unreachable); it is their queue.
    const message = error instanceof Error ? error.message : String(error);
    return c.html(messageView(pageContext(c, rt), "Something failed", message), 500);
  });
  return app;
}
