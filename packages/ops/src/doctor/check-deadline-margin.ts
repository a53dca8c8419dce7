import type { DoctorCheck } from "./finding.js";

const DEFAULT_MARGIN_MS = 3_000;

/**
 * The worker stops starting records `deadlineMarginMs` before the function's deadline. When the
 * timeout leaves less than twice the margin, the worker shrinks the margin to fit (and warns at
 * cold start); handlers then get a short run and little time to stop cleanly.
 */
export const checkDeadlineMargin: DoctorCheck = ({ queue, worker }) => {
  const timeout = worker.functionTimeoutSeconds;
  if (timeout === undefined) return [];
  const margin = worker.deadlineMarginMs ?? DEFAULT_MARGIN_MS;
  if (timeout * 1000 >= 2 * margin) return [];
  return [
    {
      check: "deadline-margin",
      severity: "warning",
      queue,
      message: `The worker of "${queue}" has a ${timeout} s timeout and a ${margin} ms deadline margin: less than twice the margin, so the worker scales the margin down and jobs get little time.`,
      fix: `Raise the function's timeout to at least ${Math.ceil((2 * margin) / 1000)} s (30 s or more suits most jobs), or lower deadlineMarginMs.`,
    },
  ];
};
