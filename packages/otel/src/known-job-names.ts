import type { JobOutcome } from "@glasswork/core";
import { isJobError } from "@glasswork/core";
import { UNKNOWN_JOB_NAME } from "./attributes.js";
import type { OtelHooksOptions } from "./otel-options.js";

/** Bounds job names read from messages to the jobs this worker knows. */
export interface KnownJobNames {
  /** The name to report, if it can be told before the job runs (the `jobs` option is set). */
  beforeRun(jobName: string): string | undefined;
  /** The name to report once the worker has decided the job's outcome. */
  afterRun(jobName: string, outcome: JobOutcome | undefined): string;
}

/**
 * With the `jobs` option, a name is known when it is listed. Without it, the worker is the
 * judge: a name is known unless the job ended as unknown (`UnknownJobError`, alone or as the
 * cause of `RetryExhaustedError`) or without an outcome (a crash gives no proof that the name
 * was one of ours).
 */
export function knownJobNames(options: OtelHooksOptions): KnownJobNames {
  if (options.jobs) {
    const names = new Set(options.jobs.map((job) => job.name));
    const bound = (jobName: string) => (names.has(jobName) ? jobName : UNKNOWN_JOB_NAME);
    return { beforeRun: bound, afterRun: bound };
  }
  return {
    beforeRun: () => undefined,
    afterRun: (jobName, outcome) =>
      outcome && !isUnknownJob(outcome) ? jobName : UNKNOWN_JOB_NAME,
  };
}

/** The worker's verdicts on a name it has no job for: retried, discarded or dead-lettered. */
function isUnknownJob(outcome: JobOutcome): boolean {
  if (outcome.deadLetterReason === "unknown-job") return true;
  const { error } = outcome;
  return (
    isJobError(error, "UNKNOWN_JOB") ||
    (isJobError(error, "RETRY_EXHAUSTED") && isJobError(error.cause, "UNKNOWN_JOB"))
  );
}
