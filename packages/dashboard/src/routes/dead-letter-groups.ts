import { groupDeadLetters, listDeadLetters } from "@glasswork/ops";
import type { Handler } from "hono";
import type { DashboardEnv, DashboardRuntime } from "../internal/dashboard-env.js";
import { knownQueue } from "../internal/known-queue.js";
import { opsOptions } from "../internal/ops-options.js";
import { deadLetterGroupsView } from "../views/dead-letter-groups-view.js";
import { messageView } from "../views/message-view.js";
import { pageContext } from "../views/page-context.js";

/** `GET /queues/:queue/dead-letters`: the queue's dead letters grouped by fingerprint. */
export function deadLetterGroupsRoute(rt: DashboardRuntime): Handler<DashboardEnv> {
  return async (c) => {
    const page = pageContext(c, rt);
    const queue = knownQueue(c, rt);
    if (!queue) return c.html(messageView(page, "Not found", "No such queue."), 404);
    const listing = await rt.locks.run(queue, () =>
      listDeadLetters(rt.options.driver, queue, opsOptions(rt)),
    );
    return c.html(
      deadLetterGroupsView(page, {
        queue,
        deadLetterQueue: listing.deadLetterQueue,
        groups: groupDeadLetters(listing.letters),
        letters: listing.letters,
        truncated: listing.truncated,
      }),
    );
  };
}
