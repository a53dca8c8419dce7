import { type DeadLetter, listDeadLetters } from "@glasswork/ops";
import type { Handler } from "hono";
import type { DashboardEnv, DashboardRuntime } from "../internal/dashboard-env.js";
import { knownQueue } from "../internal/known-queue.js";
import { opsOptions } from "../internal/ops-options.js";
import { redactPayload } from "../redact-payload.js";
import { deadLetterDetailView } from "../views/dead-letter-detail-view.js";
import { messageView } from "../views/message-view.js";
import { pageContext } from "../views/page-context.js";

/** `GET /queues/:queue/dead-letters/:messageId`: one dead letter, its payload redacted. */
export function deadLetterDetailRoute(rt: DashboardRuntime): Handler<DashboardEnv> {
  return async (c) => {
    const page = pageContext(c, rt);
    const queue = knownQueue(c, rt);
    const messageId = c.req.param("messageId");
    if (!queue || !messageId) return c.html(messageView(page, "Not found", "No such queue."), 404);
    const { letters } = await rt.locks.run(queue, () =>
      listDeadLetters(rt.options.driver, queue, { ...opsOptions(rt), messageId }),
    );
    const letter = letters[0];
    if (!letter) {
      return c.html(
        messageView(
          page,
          "Not found",
          "This dead letter is not in the dead-letter queue (any more).",
        ),
        404,
      );
    }
    return c.html(
      deadLetterDetailView(page, {
        queue,
        letter,
        payload: renderPayload(letter, rt.options.redact ?? []),
        attributes: letter.attributes,
      }),
    );
  };
}

// Redaction happens here, before any rendering: the redacted values never reach the browser.
function renderPayload(letter: DeadLetter, redact: readonly string[]): string {
  if (letter.jobName !== undefined) {
    return JSON.stringify(redactPayload(letter.payload, redact), null, 2) ?? "undefined";
  }
  // Not an envelope: the fields can only be found in a JSON body, at its root or under a
  // malformed envelope's "payload".
  if (redact.length === 0) return letter.body;
  try {
    const paths = [...redact, ...redact.map((path) => `payload.${path}`)];
    return JSON.stringify(redactPayload(JSON.parse(letter.body), paths), null, 2);
  } catch {
    return `[hidden: the body is not JSON (${Buffer.byteLength(letter.body)} bytes) and redaction is configured]`;
  }
}
