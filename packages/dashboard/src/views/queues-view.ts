import type { QueueReport } from "@glasswork/ops";
import { html } from "hono/html";
import { type Html, layout } from "./layout.js";
import type { PageContext } from "./page-context.js";

/** The queues view: each queue's depths and its dead-letter queue's, refreshed live. */
export function queuesView(page: PageContext, reports: readonly QueueReport[]): Html {
  const cell = (queue: string, field: string, value: number | undefined) =>
    html`<td class="num" data-queue="${queue}" data-live="${field}">${value ?? "–"}</td>`;
  const rows = reports.map(
    (r) => html`<tr>
<td><strong>${r.queue}</strong>${r.fifo ? html` <span class="muted">FIFO</span>` : ""}</td>
${cell(r.queue, "stats.visible", r.stats.visible)}
${cell(r.queue, "stats.inFlight", r.stats.inFlight)}
${cell(r.queue, "stats.delayed", r.stats.delayed)}
${
  r.deadLetterQueue
    ? html`<td class="num"><a href="${page.base}/queues/${encodeURIComponent(r.queue)}/dead-letters" data-queue="${r.queue}" data-live="deadLetters.visible">${r.deadLetters?.visible ?? 0}</a></td>
<td class="muted">${r.deadLetterQueue}${r.maxReceiveCount === undefined ? "" : ` (after ${r.maxReceiveCount} receives)`}</td>`
    : html`<td class="num muted">–</td><td class="bad">no dead-letter queue</td>`
}
</tr>`,
  );
  return layout(page, {
    heading: "Queues",
    nav: "queues",
    liveUrl: `${page.base}/api/live`,
    content: html`<table id="queues">
<thead><tr><th>queue</th><th class="num">visible</th><th class="num">in flight</th><th class="num">delayed</th><th class="num">dead letters</th><th>dead-letter queue</th></tr></thead>
<tbody>${rows}</tbody>
</table>
<p class="live" id="live-status">live</p>`,
  });
}
