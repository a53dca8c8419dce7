// The error family, one file per family under errors/; this module gathers them for imports.

export {
  EnqueueBatchError,
  type EnqueueItemResult,
  type EnqueueOptionName,
  InvalidEnqueueOptionsError,
  InvalidJobPayloadError,
  type PayloadIssue,
  PayloadTooLargeError,
  ValidatorError,
} from "./errors/enqueue-errors.js";
export {
  isJobError,
  JobError,
  type JobErrorCode,
} from "./errors/job-error.js";
export {
  type AttemptHistory,
  PermanentJobError,
  RetryExhaustedError,
  TransientJobError,
  type TransientJobErrorOptions,
} from "./errors/job-outcome-errors.js";
export {
  InvalidEnvelopeError,
  type InvalidEnvelopeReason,
  NoDeadLetterQueueError,
  QueueDriverError,
} from "./errors/transport-errors.js";
export {
  DeadlineError,
  DuplicateJobNameError,
  FifoGroupHeldBackError,
  UnknownJobError,
  UnsupportedEventError,
} from "./errors/worker-errors.js";
