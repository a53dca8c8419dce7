import { html } from "hono/html";
import type { TimelineRow } from "../internal/timeline-rows.js";
import { type Html, layout } from "./layout.js";
import type { PageContext } from "./page-context.js";

/** Recent jobs of this process, each with its steps, refreshed live. */
export function timelineView(page: PageContext, rows: readonly TimelineRow[]): Html {
  return layout(page, {
    heading: "Timeline",
    nav: "timeline",
    liveUrl: `${page.base}/api/live?timeline=1`,
    content: html`<p class="muted">Jobs enqueued or run by this process, most recent first.</p>
<p class="muted" id="timeline-empty" ${rows.length > 0 ? "hidden" : ""}>Nothing yet.</p>
<ol class="timeline" id="timeline">${rows.map(
      (row) =>
        html`<li><strong>${row.jobName}</strong><span class="muted"> ${row.jobId} </span><br>${row.steps.map(
          (step) => html`<span class="step ${step.kind}" title="${step.at}">${step.text}</span>`,
        )}${row.error === undefined ? "" : html`<div class="error muted">${row.error}</div>`}</li>`,
    )}</ol>
<p class="live" id="live-status">live</p>`,
  });
}
