import { html } from "hono/html";
import type { Task } from "../internal/task-registry.js";
import { type Html, layout } from "./layout.js";
import type { PageContext } from "./page-context.js";

/** A redrive's or delete's progress, then its result. */
export function taskView(page: PageContext, task: Task): Html {
  const queuePath = `${page.base}/queues/${encodeURIComponent(task.queue)}`;
  const { done, failed, total } = task.progress;
  const verb = task.action === "redrive" ? "Redrive" : "Delete";
  return layout(page, {
    heading: `${verb} of ${task.scope}`,
    nav: "other",
    ...(task.status === "running" ? { taskUrl: `${page.base}/api/tasks/${task.id}` } : {}),
    content: html`<div class="card" id="task" data-status="${task.status}">
${
  task.status === "running"
    ? html`<p>Running… <noscript><meta http-equiv="refresh" content="1"></noscript></p>
<progress id="task-progress" ${total === undefined ? "" : html`max="${Math.max(1, total)}" value="${done}"`}></progress>
<p id="task-count">${done} of ${total ?? "?"} done, ${failed} failed</p>`
    : html`<p class="${task.status === "succeeded" ? "ok" : "bad"}" id="task-result">${task.status === "succeeded" ? "Done" : "Failed"}: ${task.summary}</p>`
}
<div class="actions"><a class="button" href="${queuePath}/dead-letters">Dead letters of ${task.queue}</a> <a class="button" href="${page.home}">Queues</a></div>
</div>`,
  });
}
