import { html } from "hono/html";
import { CSRF_FIELD } from "../internal/session-csrf.js";
import { type Html, layout } from "./layout.js";
import type { PageContext } from "./page-context.js";

/** What a confirmation asks about. */
export interface ConfirmModel {
  readonly action: "redrive" | "delete";
  readonly queue: string;
  /** For people: "the 3 dead letters of group …". */
  readonly scope: string;
  /** Hidden fields that say what it applies to (`fingerprint`, `messageId`). */
  readonly fields: Readonly<Record<string, string>>;
}

/**
 * The confirm step of a redrive or a delete: a POST form with the session's CSRF token. A
 * delete also asks for the queue's name to be typed, which `deleteDeadLetters` checks.
 */
export function confirmView(page: PageContext, model: ConfirmModel): Html {
  const queuePath = `${page.base}/queues/${encodeURIComponent(model.queue)}`;
  const redrive = model.action === "redrive";
  return layout(page, {
    heading: redrive
      ? `Redrive dead letters of ${model.queue}`
      : `Delete dead letters of ${model.queue}`,
    nav: "other",
    content: html`<form class="card" method="post" action="${queuePath}/${model.action}">
<p>${redrive ? "Send" : "Delete for good"} ${model.scope}${redrive ? html` back to <strong>${model.queue}</strong> to run again. Fix the cause first: a job that fails again is dead-lettered again (once).` : "."}</p>
<input type="hidden" name="${CSRF_FIELD}" value="${page.csrfToken}">
${Object.entries(model.fields).map(([name, value]) => html`<input type="hidden" name="${name}" value="${value}">`)}
${redrive ? "" : html`<p><label>Type the queue's name, <strong>${model.queue}</strong>, to confirm: <input type="text" name="confirm" autocomplete="off" required></label></p>`}
<div class="actions">
<button type="submit" class="${redrive ? "primary" : "danger"}" id="confirm">${redrive ? "Redrive" : "Delete"}</button>
<a class="button" href="${queuePath}/dead-letters">Cancel</a>
</div>
</form>`,
  });
}
