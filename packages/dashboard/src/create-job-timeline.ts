import type { ProducerHooks, WorkerHooks } from "@glasswork/core";
import { RingBuffer } from "./internal/ring-buffer.js";

/** One thing that happened to a job, as the timeline records it. */
export interface TimelineEvent {
  /** Increases by one per event recorded by this timeline. */
  readonly seq: number;
  readonly at: Date;
  readonly type: "enqueued" | "started" | "completed" | "failed" | "dead_letter";
  readonly jobId: string;
  readonly jobName: string;
  readonly queue: string;
  /** 1-based attempt, for worker events. */
  readonly attempt?: number;
  /** `enqueued`: the native delay. `failed`: seconds until the retry, when it will retry. */
  readonly delaySeconds?: number;
  /** `failed`: whether the job runs again. */
  readonly willRetry?: boolean;
  /** `failed` and `dead_letter`: the error's message (capped; never the payload). */
  readonly error?: string;
  /** `dead_letter`: why. */
  readonly reason?: string;
  /** `completed` and `failed`: time spent in the handler. */
  readonly durationMs?: number;
}

/** Options of {@link createJobTimeline}. */
export interface JobTimelineOptions {
  /** Most events kept; the oldest are dropped first. Default 500. */
  readonly size?: number;
  readonly now?: () => number;
}

/** A bounded record of recent job events, fed by producer and worker hooks. */
export interface JobTimeline {
  /** Pass to `new JobService(driver, { hooks: [timeline.producerHooks] })`. */
  readonly producerHooks: ProducerHooks;
  /** Pass to `bootstrapWorker({ hooks: [timeline.workerHooks] })`. */
  readonly workerHooks: WorkerHooks;
  /** The events kept, oldest first. */
  events(): TimelineEvent[];
}

const MAX_ERROR_LENGTH = 500;

/**
 * Records what happens to jobs in this process — enqueued, attempt failed and retried,
 * completed, dead-lettered — in a ring buffer of `size` events, for the dashboard's timeline.
 * Payloads are never recorded. Only useful where the producer or the worker runs in the same
 * process as the dashboard (local development, a poller).
 *
 * @example
 * // given: JobService, driver, bootstrapWorker, allJobs, app, auth
 * const timeline = createJobTimeline({ size: 500 });
 * const jobs = new JobService(driver, { hooks: [timeline.producerHooks] });
 * const handler = bootstrapWorker({ jobs: allJobs, driver, hooks: [timeline.workerHooks] });
 * app.route("/jobs", dashboard({ driver, queues: ["default"], timeline, auth }));
 */
export function createJobTimeline(options: JobTimelineOptions = {}): JobTimeline {
  const buffer = new RingBuffer<TimelineEvent>(options.size ?? 500);
  const now = options.now ?? Date.now;
  let seq = 0;
  const record = (event: Omit<TimelineEvent, "seq" | "at">) => {
    seq += 1;
    buffer.push({ ...event, seq, at: new Date(now()) });
  };

  return {
    producerHooks: {
      onEnqueued(_event, results) {
        for (const result of results) {
          if (!result.ok) continue;
          const job = result.value;
          record({
            type: "enqueued",
            jobId: job.jobId,
            jobName: job.jobName,
            queue: job.queue,
            ...(job.delaySeconds > 0 ? { delaySeconds: job.delaySeconds } : {}),
          });
        }
      },
    },
    workerHooks: {
      onJobStart(execution) {
        record({ type: "started", ...identity(execution), attempt: execution.attempt });
      },
      onJobComplete(execution, _ctx, { durationMs }) {
        record({
          type: "completed",
          ...identity(execution),
          attempt: execution.attempt,
          durationMs,
        });
      },
      onJobFailed(execution, _ctx, failure) {
        record({
          type: "failed",
          ...identity(execution),
          attempt: execution.attempt,
          willRetry: failure.willRetry,
          error: messageOf(failure.error),
          ...(failure.retryDelaySeconds === undefined
            ? {}
            : { delaySeconds: failure.retryDelaySeconds }),
          ...(failure.durationMs === undefined ? {} : { durationMs: failure.durationMs }),
        });
      },
      onJobDeadLetter(event) {
        record({
          type: "dead_letter",
          jobId: event.execution?.jobId ?? event.message.messageId,
          jobName: event.execution?.jobName ?? "(unreadable message)",
          queue: event.execution?.queue ?? "",
          ...(event.execution ? { attempt: event.execution.attempt } : {}),
          reason: event.reason,
          error: messageOf(event.error),
        });
      },
    },
    events: () => buffer.toArray(),
  };
}

function identity(execution: { jobId: string; jobName: string; queue: string }) {
  return { jobId: execution.jobId, jobName: execution.jobName, queue: execution.queue };
}

function messageOf(error: unknown): string {
  const message = error instanceof Error ? error.message : String(error);
  return message.length > MAX_ERROR_LENGTH ? `${message.slice(0, MAX_ERROR_LENGTH)}…` : message;
}
