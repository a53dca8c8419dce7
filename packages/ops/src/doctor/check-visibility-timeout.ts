import type { DoctorCheck } from "./finding.js";

// AWS's guidance for Lambda event sources: at least six times the function's timeout, so that
// a batch retried by Lambda's poller after a throttle is not redelivered while it still runs.
const FACTOR = 6;

/** The queue's visibility timeout must cover the worker function's runs with room to spare. */
export const checkVisibilityTimeout: DoctorCheck = ({ queue, info, worker }) => {
  const timeout = worker.functionTimeoutSeconds;
  const visibility = info.visibilityTimeoutSeconds;
  if (timeout === undefined || visibility === undefined || visibility >= FACTOR * timeout)
    return [];
  return [
    {
      check: "visibility-timeout",
      severity: visibility < timeout ? "error" : "warning",
      queue,
      message: `Queue "${queue}" has a visibility timeout of ${visibility} s for a worker timeout of ${timeout} s: ${visibility < timeout ? "messages reappear while their job still runs, so jobs run twice at once" : `AWS advises at least ${FACTOR}× the function timeout`}.`,
      fix: `Set the queue's VisibilityTimeout to at least ${FACTOR * timeout} s.`,
    },
  ];
};
