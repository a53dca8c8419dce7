import type { DoctorCheck } from "./finding.js";

/**
 * The redrive policy's `maxReceiveCount` is the safety net for crashes; below a job's
 * `maxAttempts` it moves jobs to the dead-letter queue before their retries are used up.
 */
export const checkMaxReceiveCount: DoctorCheck = ({ queue, info, jobs }) => {
  if (!info.deadLetterQueue || info.maxReceiveCount === undefined) return [];
  const largest = jobs.reduce(
    (max, job) =>
      job.retry.maxAttempts > max.attempts
        ? { attempts: job.retry.maxAttempts, job: job.name }
        : max,
    { attempts: 0, job: "" },
  );
  if (largest.attempts <= info.maxReceiveCount) return [];
  return [
    {
      check: "max-receive-count",
      severity: "error",
      queue,
      message: `Queue "${queue}" has maxReceiveCount ${info.maxReceiveCount}, but job "${largest.job}" retries up to ${largest.attempts} attempts: SQS dead-letters it after ${info.maxReceiveCount} receives, before the worker's backoff has run its course.`,
      fix: `Set the RedrivePolicy's maxReceiveCount to at least ${largest.attempts} (a few more leaves room for deadline releases and crashes).`,
    },
  ];
};
