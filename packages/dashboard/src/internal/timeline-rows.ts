import type { TimelineEvent } from "../create-job-timeline.js";

/** One step of a job's history, worded for people. */
export interface TimelineStep {
  readonly kind: TimelineEvent["type"];
  readonly text: string;
  /** ISO time of the event. */
  readonly at: string;
}

/** A job's recent history: enqueued → attempt 1 failed, retry in 2 s → completed. */
export interface TimelineRow {
  readonly jobId: string;
  readonly jobName: string;
  readonly queue: string;
  readonly steps: TimelineStep[];
  /** The last error, when the job failed. */
  readonly error: string | undefined;
}

/** Groups timeline events by job, the most recently active job first. */
export function timelineRows(events: readonly TimelineEvent[], limit = 100): TimelineRow[] {
  const rows = new Map<string, { row: TimelineRow; last: number }>();
  for (const event of events) {
    let entry = rows.get(event.jobId);
    if (!entry) {
      entry = {
        row: {
          jobId: event.jobId,
          jobName: event.jobName,
          queue: event.queue,
          steps: [],
          error: undefined,
        },
        last: 0,
      };
      rows.set(event.jobId, entry);
    }
    entry.last = event.seq;
    const steps = entry.row.steps;
    // "attempt 2 started" is only news while it runs: the next event of the job replaces it.
    if (steps.at(-1)?.kind === "started") steps.pop();
    steps.push({ kind: event.type, text: describe(event), at: event.at.toISOString() });
    if (event.error !== undefined) entry.row = { ...entry.row, error: event.error };
  }
  return [...rows.values()]
    .sort((a, b) => b.last - a.last)
    .slice(0, limit)
    .map((entry) => entry.row);
}

function describe(event: TimelineEvent): string {
  switch (event.type) {
    case "enqueued":
      return event.delaySeconds ? `enqueued (runs in ${seconds(event.delaySeconds)})` : "enqueued";
    case "started":
      return `attempt ${event.attempt} running`;
    case "completed":
      return `completed${event.durationMs === undefined ? "" : ` in ${Math.round(event.durationMs)} ms`}`;
    case "failed":
      return event.willRetry
        ? `attempt ${event.attempt} failed, retry in ${seconds(event.delaySeconds ?? 0)}`
        : `attempt ${event.attempt} failed`;
    case "dead_letter":
      return `dead-lettered (${event.reason})`;
  }
}

function seconds(value: number): string {
  return value >= 120 ? `${Math.round(value / 60)} min` : `${Math.round(value)} s`;
}
