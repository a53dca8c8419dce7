export {
  ClaimedPayloadError,
  type ClaimedPayloadProblem,
} from "./claimed-payload-error.js";
export {
  type AnyJobDefinition,
  DEFAULT_QUEUE,
  defineJob,
  type ExpiredAction,
  type JobDefinition,
  type JobInput,
  type JobOptions,
  type JobPayload,
} from "./define-job.js";
export {
  definePeriodicJob,
  type PeriodicJobContext,
  type PeriodicJobDefinition,
  type PeriodicJobOptions,
} from "./define-periodic-job.js";
export { type Duration, toSeconds } from "./duration.js";
export type {
  CheckedItems,
  EnqueueCommonOptions,
  EnqueueItem,
  EnqueueOptions,
} from "./enqueue-options.js";
export {
  type DecodeEnvelopeResult,
  decodeEnvelope,
  ENVELOPE_VERSION,
  encodeEnvelope,
  JOB_NAME_ATTRIBUTE,
  type JobEnvelope,
} from "./envelope.js";
export { SIGNATURE_ATTRIBUTE, type SigningKey } from "./envelope-signer.js";
export {
  type AttemptHistory,
  DeadlineError,
  DuplicateJobNameError,
  EnqueueBatchError,
  type EnqueueItemResult,
  type EnqueueOptionName,
  FifoGroupHeldBackError,
  InvalidEnqueueOptionsError,
  InvalidEnvelopeError,
  type InvalidEnvelopeReason,
  InvalidJobPayloadError,
  isJobError,
  JobError,
  type JobErrorCode,
  NoDeadLetterQueueError,
  type PayloadIssue,
  PayloadTooLargeError,
  PermanentJobError,
  QueueDriverError,
  RetryExhaustedError,
  TransientJobError,
  type TransientJobErrorOptions,
  UnknownJobError,
  UnsupportedEventError,
  ValidatorError,
} from "./errors.js";
export { fromPowertoolsLogger, type PowertoolsLoggerLike } from "./from-powertools-logger.js";
export type { JobContext, Register, Services } from "./job-context.js";
export type {
  JobDeadLetterContext,
  JobDeadLetterHandler,
  JobDeadLetterReason,
} from "./job-dead-letter.js";
export { JobExpiredError } from "./job-expired-error.js";
export { JobService, type JobServiceOptions } from "./job-service.js";
export {
  createJsonLogger,
  type JsonLoggerOptions,
  type Logger,
  type LogLevel,
  silentLogger,
} from "./logger.js";
export type {
  CancelResult,
  LongDelayedMessage,
  LongDelayScheduler,
} from "./long-delay-scheduler.js";
export { DEFAULT_MAX_MESSAGE_BYTES, MAX_MESSAGE_BYTES } from "./message-size.js";
export {
  type ClaimOwner,
  isPayloadClaim,
  type OffloadedPayload,
  type PayloadClaim,
  type PayloadStore,
} from "./payload-store.js";
export type { EnqueuedJob, EnqueueEvent, EnqueueingJob, ProducerHooks } from "./producer-hooks.js";
export {
  DEAD_LETTER_ATTRIBUTES,
  type DeadLetterDetails,
  type DeadLetterReason,
  type OutgoingMessage,
  type QueueDriver,
  type QueueInfo,
  type QueueStats,
  type ReceivedMessage,
  type ReceiveOptions,
  type SendResult,
} from "./queue-driver.js";
export { readClaimedPayload } from "./read-claimed-payload.js";
export {
  type BackoffFunction,
  type BackoffOptions,
  backoffDelaySeconds,
  DEFAULT_MAX_ATTEMPTS,
  MAX_VISIBILITY_TIMEOUT_SECONDS,
  type RetryOption,
  type RetryPolicy,
} from "./retry-policy.js";
export type {
  DeadLetterEvent,
  JobExecution,
  JobFailure,
  JobOutcome,
  JobOutcomeStatus,
  WorkerHooks,
} from "./worker-hooks.js";
