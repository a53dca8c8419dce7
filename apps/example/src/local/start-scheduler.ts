import type { Logger, PeriodicJobDefinition } from "@glasswork/core";
import type { WorkerHandler } from "@glasswork/worker";

const UNIT_MS: Record<string, number> = { minute: 60_000, hour: 3_600_000, day: 86_400_000 };

/**
 * Runs periodic jobs locally on their `rate(…)` schedule by invoking the worker handler the way
 * EventBridge Scheduler does (`{ jobName }`). `cron(…)` schedules are only run in AWS.
 */
export function startScheduler(
  handler: WorkerHandler,
  jobs: readonly PeriodicJobDefinition[],
  logger: Logger,
): { stop(): void; runNow(jobName: string): Promise<void> } {
  const timers: ReturnType<typeof setInterval>[] = [];
  let invocation = 0;
  const run = async (jobName: string) => {
    const requestId = `local-schedule-${++invocation}`;
    await handler({ jobName }, {
      awsRequestId: requestId,
      getRemainingTimeInMillis: () => 900_000,
    } as never);
  };
  for (const job of jobs) {
    const everyMs = rateToMs(job.schedule);
    if (everyMs === undefined) {
      logger.warn(
        { jobName: job.name, schedule: job.schedule },
        "schedule not run locally (only rate(...) is)",
      );
      continue;
    }
    const timer = setInterval(() => {
      run(job.name).catch((error: unknown) =>
        logger.error({ err: error, jobName: job.name }, "periodic job failed"),
      );
    }, everyMs);
    timer.unref();
    timers.push(timer);
  }
  return { stop: () => timers.forEach(clearInterval), runNow: run };
}

/** Milliseconds between runs of a `rate(N unit)` expression. */
export function rateToMs(schedule: string | undefined): number | undefined {
  const match = /^rate\(\s*(\d+)\s+(minute|hour|day)s?\s*\)$/.exec(schedule ?? "");
  if (!match) return undefined;
  return Number(match[1]) * (UNIT_MS[match[2] as string] as number);
}
