import type { DoctorCheck } from "./finding.js";

/**
 * Without `ReportBatchItemFailures` on the event source mapping, Lambda ignores the worker's
 * `batchItemFailures` and deletes the whole batch on success, retries included: failed jobs
 * are lost.
 */
export const checkBatchItemFailures: DoctorCheck = ({ queue, worker }) => {
  if (worker.reportBatchItemFailures !== false) return [];
  return [
    {
      check: "report-batch-item-failures",
      severity: "error",
      queue,
      message: `The event source mapping of "${queue}" does not report batch item failures: Lambda deletes every record of a batch the worker returns, failed ones included, so retries and releases are lost.`,
      fix: `Set FunctionResponseTypes: [ReportBatchItemFailures] on the event source mapping (SAM: FunctionResponseTypes under the SQS event).`,
    },
  ];
};
