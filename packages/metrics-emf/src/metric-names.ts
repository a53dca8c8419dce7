/** The metrics the worker hooks write, named as in the original Glasswork. */
export const METRIC_NAMES = {
  /** Runs of a job that reached an outcome (released, unstarted records are not runs). Count. */
  jobCount: "JobCount",
  /** Runs that failed: retried, dead-lettered or discarded. Count; 0 on success. */
  jobErrorCount: "JobErrorCount",
  /** Runs that failed and will run again. Count. */
  retryCount: "RetryCount",
  /** Messages moved to the dead-letter queue. Count. */
  deadLetterCount: "DeadLetterCount",
  /** Time in the handler. Milliseconds. */
  jobDuration: "JobDuration",
  /** Time from enqueue to the start of this run (a delayed job's delay included). Milliseconds. */
  queueWaitTime: "QueueWaitTime",
} as const;

/**
 * The job-name dimension value of every job the worker does not know, and of messages whose
 * envelope could not be read: job names come from untrusted messages, and each distinct value
 * would be a new CloudWatch metric.
 */
export const UNKNOWN_JOB_NAME = "_unknown";
