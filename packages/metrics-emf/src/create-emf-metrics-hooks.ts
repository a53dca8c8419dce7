import { MetricResolution, Metrics, MetricUnit } from "@aws-lambda-powertools/metrics";
import type { JobExecution, JobOutcome, Logger, WorkerHooks } from "@glasswork/core";
import { METRIC_NAMES, UNKNOWN_JOB_NAME } from "./metric-names.js";

/** Options of {@link createEmfMetricsHooks}. */
export interface EmfMetricsOptions {
  /** The jobs this worker runs (the same list as `bootstrapWorker`'s): only their names become dimension values. */
  readonly jobs: readonly { readonly name: string }[];
  /** CloudWatch namespace. Default: `POWERTOOLS_METRICS_NAMESPACE`, else Powertools' `default_namespace`. */
  readonly namespace?: string;
  /** Value of the `service` dimension Powertools adds. Default: `POWERTOOLS_SERVICE_NAME`, else `service_undefined`. */
  readonly serviceName?: string;
  /** Dimensions on every metric, e.g. `{ Environment: "prod" }`. */
  readonly dimensions?: Readonly<Record<string, string>>;
  /** Name of the job-name dimension, or `false` for none. Default `"JobName"`. */
  readonly jobNameDimension?: string | false;
  /** Name of a dimension with the queue's physical name (`"schedule"` for periodic jobs), or `false`. Default `false`. */
  readonly queueDimension?: string | false;
  /** Store at 1-second resolution (high-resolution metrics cost more). Default `false`: 60 s. */
  readonly highResolution?: boolean;
  /** Also write Powertools' `ColdStart` metric once per container. Default `false`. */
  readonly captureColdStart?: boolean;
  /** Clock for `QueueWaitTime`; pass the worker's when it has one. Default `Date.now`. */
  readonly now?: () => number;
  /** Where Powertools' own warnings go (pass the worker's logger). Default: the console. */
  readonly logger?: Logger;
}

/**
 * Worker hooks that write CloudWatch metrics in the Embedded Metric Format through the Powertools
 * Metrics utility: one EMF line on stdout per finished job, with `JobCount`, `JobErrorCount`,
 * `RetryCount`, `DeadLetterCount` (counts, 0 or 1), `JobDuration` and `QueueWaitTime`
 * (milliseconds). Lambda's log pipeline turns the lines into metrics; no agent or API call.
 *
 * @example
 * // given: bootstrapWorker, jobList, driver
 * export const handler = bootstrapWorker({
 *   jobs,
 *   driver,
 *   hooks: [createEmfMetricsHooks({ jobs, namespace: "Shop", dimensions: { Environment: "prod" } })],
 * });
 */
export function createEmfMetricsHooks(options: EmfMetricsOptions): WorkerHooks {
  const metrics = new Metrics({
    ...(options.namespace !== undefined && { namespace: options.namespace }),
    ...(options.serviceName !== undefined && { serviceName: options.serviceName }),
    ...(options.dimensions && { defaultDimensions: { ...options.dimensions } }),
    ...(options.logger && { logger: toPowertoolsLogger(options.logger) }),
  });
  const known = new Set(options.jobs.map((job) => job.name));
  const jobDimension = options.jobNameDimension ?? "JobName";
  const queueDimension = options.queueDimension ?? false;
  const now = options.now ?? Date.now;
  const resolution = options.highResolution ? MetricResolution.High : MetricResolution.Standard;

  // Synchronous from the first dimension to the flush: jobs running concurrently share the
  // instance, and nothing may interleave with another job's dimensions.
  const publish = (
    jobName: string | undefined,
    queue: string | undefined,
    values: {
      failed: boolean;
      retry: boolean;
      dead: boolean;
      durationMs?: number;
      waitMs?: number;
    },
  ): void => {
    // Hooks do not see the Lambda context, where Powertools' middleware reads the function name.
    if (options.captureColdStart) {
      metrics.captureColdStartMetric(process.env.AWS_LAMBDA_FUNCTION_NAME);
    }
    try {
      if (jobDimension) {
        const name = jobName !== undefined && known.has(jobName) ? jobName : UNKNOWN_JOB_NAME;
        metrics.addDimension(jobDimension, name);
      }
      if (queueDimension && queue) metrics.addDimension(queueDimension, queue);
      const count = (metric: string, value: boolean) =>
        metrics.addMetric(metric, MetricUnit.Count, value ? 1 : 0, resolution);
      count(METRIC_NAMES.jobCount, true);
      count(METRIC_NAMES.jobErrorCount, values.failed);
      count(METRIC_NAMES.retryCount, values.retry);
      count(METRIC_NAMES.deadLetterCount, values.dead);
      if (values.durationMs !== undefined) {
        metrics.addMetric(
          METRIC_NAMES.jobDuration,
          MetricUnit.Milliseconds,
          values.durationMs,
          resolution,
        );
      }
      if (values.waitMs !== undefined) {
        metrics.addMetric(
          METRIC_NAMES.queueWaitTime,
          MetricUnit.Milliseconds,
          values.waitMs,
          resolution,
        );
      }
      metrics.publishStoredMetrics();
    } catch (error) {
      // Nothing half-added may ride along with the next job's metrics; the worker logs the error.
      metrics.clearDimensions();
      metrics.clearMetrics();
      throw error;
    }
  };

  return {
    async aroundJob(execution: JobExecution, run: () => Promise<JobOutcome>) {
      const waitMs = Math.max(0, now() - execution.enqueuedAt.getTime());
      const outcome = await run();
      // Relayed, or released unstarted (deadline, a FIFO group stopped): not a run. A deferred
      // record whose handler ran (it failed and could not be dead-lettered) is a failed run.
      if (outcome.status === "relayed") return outcome;
      if (outcome.status === "deferred" && outcome.durationMs === undefined) return outcome;
      publish(execution.jobName, execution.queue, {
        failed: outcome.status !== "completed",
        retry: outcome.status === "retry",
        dead: outcome.status === "dead_letter",
        ...(outcome.durationMs !== undefined && { durationMs: outcome.durationMs }),
        waitMs,
      });
      return outcome;
    },
    onJobDeadLetter(event) {
      // A message whose envelope could not be read (or whose signature failed) never reaches
      // aroundJob; the others were counted there.
      if (event.execution !== undefined) return;
      publish(undefined, event.message.queue, { failed: true, retry: false, dead: true });
    },
  };
}

// Powertools logs plain messages; Glasswork loggers (pino's shape) take fields first.
function toPowertoolsLogger(logger: Logger) {
  const line =
    (level: "debug" | "info" | "warn" | "error") =>
    (...content: unknown[]) =>
      logger[level]({ source: "powertools-metrics" }, content.map(String).join(" "));
  return { debug: line("debug"), info: line("info"), warn: line("warn"), error: line("error") };
}
