/**
 * The only script of the dashboard, inlined with the page's nonce. It reads its settings from
 * the body's data attributes (never from values spliced into code) and writes with
 * `textContent` only, so nothing it receives is parsed as markup.
 */
export const LIVE_SCRIPT = `
(() => {
  const body = document.body;
  const refresh = Number(body.dataset.refresh || "2") * 1000;
  const stamp = document.getElementById("live-status");
  const set = (el, value) => { if (el.textContent !== value) el.textContent = value; };

  async function live(url) {
    try {
      const response = await fetch(url, { credentials: "same-origin", headers: { accept: "application/json" } });
      if (!response.ok) throw new Error(String(response.status));
      const data = await response.json();
      for (const q of data.queues || []) {
        for (const el of document.querySelectorAll("[data-live]")) {
          const [queue, field] = [el.dataset.queue, el.dataset.live];
          if (queue !== q.queue) continue;
          const value = field.split(".").reduce((v, k) => (v == null ? v : v[k]), q);
          set(el, value == null ? "–" : String(value));
        }
      }
      const list = document.getElementById("timeline");
      if (list && data.timeline) renderTimeline(list, data.timeline);
      if (stamp) set(stamp, "updated " + new Date(data.at).toLocaleTimeString());
    } catch (error) {
      if (stamp) set(stamp, "live refresh failed (" + error.message + "), retrying");
    }
  }

  function renderTimeline(list, rows) {
    const items = rows.map((row) => {
      const li = document.createElement("li");
      const name = document.createElement("strong");
      name.textContent = row.jobName;
      const id = document.createElement("span");
      id.className = "muted";
      id.textContent = " " + row.jobId + " ";
      li.append(name, id, document.createElement("br"));
      for (const step of row.steps) {
        const span = document.createElement("span");
        span.className = "step " + step.kind;
        span.textContent = step.text;
        span.title = step.at;
        li.append(span);
      }
      if (row.error) {
        const error = document.createElement("div");
        error.className = "error muted";
        error.textContent = row.error;
        li.append(error);
      }
      return li;
    });
    list.replaceChildren(...items);
    const empty = document.getElementById("timeline-empty");
    if (empty) empty.hidden = rows.length > 0;
  }

  async function task(url) {
    try {
      const response = await fetch(url, { credentials: "same-origin", headers: { accept: "application/json" } });
      const data = await response.json();
      const bar = document.getElementById("task-progress");
      if (bar && data.progress.total !== null) { bar.max = Math.max(1, data.progress.total); bar.value = data.progress.done; }
      const text = document.getElementById("task-count");
      if (text) set(text, data.progress.done + " of " + (data.progress.total ?? "?") + " done, " + data.progress.failed + " failed");
      if (data.status !== "running") { location.reload(); return; }
    } catch {}
    setTimeout(() => task(url), 300);
  }

  if (body.dataset.liveUrl) { live(body.dataset.liveUrl); setInterval(() => live(body.dataset.liveUrl), refresh); }
  if (body.dataset.taskUrl) task(body.dataset.taskUrl);
})();
`;
