import type { DeadLetter } from "@glasswork/ops";
import { html } from "hono/html";
import { type Html, layout } from "./layout.js";
import type { PageContext } from "./page-context.js";

/** What the detail view shows: the payload is already redacted. */
export interface DeadLetterDetailModel {
  readonly queue: string;
  readonly letter: DeadLetter;
  /** The payload as rendered: redacted, or a note saying why it is hidden. */
  readonly payload: string;
  readonly attributes: Readonly<Record<string, string>>;
}

/** One dead letter: payload, attributes, error, attempts, and its redrive / delete. */
export function deadLetterDetailView(page: PageContext, model: DeadLetterDetailModel): Html {
  const { letter } = model;
  const queuePath = `${page.base}/queues/${encodeURIComponent(model.queue)}`;
  const id = encodeURIComponent(letter.messageId);
  return layout(page, {
    heading: letter.jobName ?? "Dead letter",
    nav: "other",
    content: html`<p><a href="${queuePath}/dead-letters">← dead letters of ${model.queue}</a></p>
<div class="card"><dl>
<dt>job</dt><dd>${letter.jobName ?? "(not a job envelope)"}</dd>
<dt>job id</dt><dd>${letter.jobId ?? "–"}</dd>
<dt>message id</dt><dd>${letter.messageId}</dd>
<dt>reason</dt><dd class="bad">${letter.reason ?? "unknown"}</dd>
<dt>error</dt><dd class="error" id="error">${letter.error ?? "–"}</dd>
<dt>attempt</dt><dd>${letter.attempt ?? "–"}</dd>
<dt>receive count</dt><dd>${letter.receiveCount}</dd>
<dt>source queue</dt><dd>${letter.sourceQueue ?? "unknown"}</dd>
<dt>enqueued</dt><dd>${letter.enqueuedAt ?? "–"}</dd>
<dt>dead-lettered</dt><dd>${letter.deadLetteredAt.toISOString()}</dd>
<dt>fingerprint</dt><dd>${letter.fingerprint}</dd>
</dl>
<div class="actions">
<a class="button primary" href="${queuePath}/redrive?messageId=${id}">Redrive…</a>
<a class="button danger" href="${queuePath}/delete?messageId=${id}">Delete…</a>
</div></div>
<h2>Payload</h2>
<pre id="payload">${model.payload}</pre>
<h2>Attributes</h2>
<table><tbody>${Object.entries(model.attributes).map(
      ([name, value]) => html`<tr><th>${name}</th><td class="error">${value}</td></tr>`,
    )}</tbody></table>`,
  });
}
