import type { DeadLetter, DeadLetterGroup } from "@glasswork/ops";
import { html } from "hono/html";
import { type Html, layout } from "./layout.js";
import type { PageContext } from "./page-context.js";

/** What the dead-letters view shows. */
export interface DeadLetterGroupsModel {
  readonly queue: string;
  readonly deadLetterQueue: string;
  readonly groups: readonly DeadLetterGroup[];
  readonly letters: readonly DeadLetter[];
  readonly truncated: boolean;
}

/** Dead letters grouped by fingerprint, each group with show / redrive / delete. */
export function deadLetterGroupsView(page: PageContext, model: DeadLetterGroupsModel): Html {
  const queuePath = `${page.base}/queues/${encodeURIComponent(model.queue)}`;
  const byId = new Map(model.letters.map((letter) => [letter.messageId, letter]));
  const groups = model.groups.map(
    (g) => html`<section class="card group" data-fingerprint="${g.fingerprint}">
<div><strong class="count">${g.count}</strong> × <strong>${g.jobName ?? "(not a job envelope)"}</strong> · <span class="bad">${g.reason ?? "unknown reason"}</span></div>
<div class="error">${g.sampleError ?? g.error}</div>
<div class="muted">first ${g.firstSeen.toISOString()} · last ${g.lastSeen.toISOString()} · fingerprint ${g.fingerprint}</div>
<details><summary>Show ${g.count === 1 ? "the dead letter" : `the ${g.count} dead letters`}</summary>
<table><thead><tr><th>message</th><th>job id</th><th>attempt</th><th>dead-lettered</th></tr></thead><tbody>
${g.messageIds.map((id) => {
  const letter = byId.get(id);
  return html`<tr><td><a href="${queuePath}/dead-letters/${encodeURIComponent(id)}">${id}</a></td><td>${letter?.jobId ?? "–"}</td><td>${letter?.attempt ?? "–"}</td><td>${letter?.deadLetteredAt.toISOString() ?? ""}</td></tr>`;
})}
</tbody></table></details>
<div class="actions">
<a class="button primary" href="${queuePath}/redrive?fingerprint=${encodeURIComponent(g.fingerprint)}">Redrive ${g.count}…</a>
<a class="button danger" href="${queuePath}/delete?fingerprint=${encodeURIComponent(g.fingerprint)}">Delete ${g.count}…</a>
</div>
</section>`,
  );
  return layout(page, {
    heading: `Dead letters of ${model.queue}`,
    nav: "other",
    content: html`<p class="muted">From <strong>${model.deadLetterQueue}</strong>: ${model.letters.length} dead letters in ${model.groups.length} groups${model.truncated ? " (more not listed)" : ""}.</p>
${
  model.letters.length > 0
    ? html`<div class="actions"><a class="button" href="${queuePath}/redrive">Redrive all…</a> <a class="button" href="${queuePath}/delete">Delete all…</a></div>`
    : html`<p class="ok" id="no-dead-letters">No dead letters.</p>`
}
${groups}`,
  });
}
