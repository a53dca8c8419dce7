import { checkJobName } from "./define-job.js";
import type { JobContext } from "./job-context.js";

/** The options of {@link definePeriodicJob}. */
export interface PeriodicJobOptions {
  /** Unique and stable: the scheduler invokes the worker with this name. */
  name: string;
  /**
   * When it runs, as an EventBridge expression: `"rate(1 day)"`, `"rate(5 minutes)"` or
   * `"cron(0 3 * * ? *)"`. Used by deployment templates and by the local scheduler.
   */
  schedule?: string;
  /** Runs the job. A throw makes the invocation fail, so the scheduler retries it. */
  handler: (ctx: PeriodicJobContext) => Promise<void> | void;
}

/** The context of a periodic job: a {@link JobContext} plus the invocation's payload. */
export interface PeriodicJobContext extends JobContext {
  /** The `payload` of the scheduler's invocation, untrusted, if it sent one. */
  readonly input: unknown;
}

/** A job defined with {@link definePeriodicJob}. */
export interface PeriodicJobDefinition {
  readonly kind: "periodic";
  readonly name: string;
  readonly schedule: string | undefined;
  readonly handler: (ctx: PeriodicJobContext) => Promise<void> | void;
}

const SCHEDULE_PATTERN = /^(rate\(\s*\d+\s+(minute|minutes|hour|hours|day|days)\s*\)|cron\(.+\))$/;

/**
 * Defines a job that runs on a schedule (EventBridge Scheduler in AWS, the poller's timer
 * locally) rather than from a queue message.
 *
 * @example
 * // given: services
 * export const dailyCleanup = definePeriodicJob({
 *   name: "daily-cleanup",
 *   schedule: "rate(1 day)",
 *   handler: async (ctx) => { await ctx.services.db.deleteExpiredSessions(); },
 * });
 */
export function definePeriodicJob(options: PeriodicJobOptions): PeriodicJobDefinition {
  checkJobName(options.name);
  if (options.schedule !== undefined && !SCHEDULE_PATTERN.test(options.schedule)) {
    throw new TypeError(
      `Invalid schedule "${options.schedule}" for job "${options.name}": use "rate(N minutes|hours|days)" or "cron(…)"`,
    );
  }
  if (typeof options.handler !== "function") {
    throw new TypeError(`Periodic job "${options.name}" needs a handler function`);
  }
  return Object.freeze({
    kind: "periodic",
    name: options.name,
    schedule: options.schedule,
    handler: options.handler,
  });
}
