import type { Context } from "hono";
import { messageView } from "../views/message-view.js";
import { pageContext } from "../views/page-context.js";
import type { DashboardEnv, DashboardRuntime } from "./dashboard-env.js";
import { type DeadLetterScope, deadLetterScope } from "./dead-letter-scope.js";
import { knownQueue } from "./known-queue.js";

/** The queue and dead letters an action applies to, or the response that refuses it. */
export type Target =
  | { queue: string; scope: DeadLetterScope }
  | { response: Response | Promise<Response> };

/** Reads the queue of the path and the scope of the query or form of a redrive or delete. */
export function resolveTarget(
  c: Context<DashboardEnv>,
  rt: DashboardRuntime,
  input: Record<string, unknown>,
): Target {
  const page = pageContext(c, rt);
  const queue = knownQueue(c, rt);
  if (!queue) return { response: c.html(messageView(page, "Not found", "No such queue."), 404) };
  const scope = deadLetterScope(input);
  if (!scope) {
    return {
      response: c.html(
        messageView(page, "Bad request", "Malformed fingerprint or message id."),
        400,
      ),
    };
  }
  return { queue, scope };
}
