/**
 * Span and metric attribute names: the OpenTelemetry messaging semantic conventions, plus
 * Glasswork's own under `glasswork.`.
 */
export const ATTR = {
  messagingSystem: "messaging.system",
  destinationName: "messaging.destination.name",
  messageId: "messaging.message.id",
  operationType: "messaging.operation.type",
  operationName: "messaging.operation.name",
  batchMessageCount: "messaging.batch.message_count",
  errorType: "error.type",
  faasTrigger: "faas.trigger",
  queue: "glasswork.queue",
  jobName: "glasswork.job.name",
  jobId: "glasswork.job.id",
  jobAttempt: "glasswork.job.attempt",
  jobOutcome: "glasswork.job.outcome",
  jobPayload: "glasswork.job.payload",
  deadLetterReason: "glasswork.job.dead_letter_reason",
  retryDelay: "glasswork.job.retry_delay_seconds",
} as const;

/** `messaging.system` for Amazon SQS. */
export const MESSAGING_SYSTEM = "aws_sqs";

/**
 * The one value that stands for every job name this worker does not know: names come from
 * message bodies, which anyone allowed to send to the queue writes.
 */
export const UNKNOWN_JOB_NAME = "_unknown";

/** Metric names and units. */
export const METRICS = {
  /** Histogram, seconds: how long handlers ran. */
  processDuration: "messaging.process.duration",
  /** Counter: jobs by name and outcome. */
  outcomes: "glasswork.job.outcomes",
  /** Histogram, seconds: from enqueue to the start of an attempt. */
  queueWait: "glasswork.job.queue_wait",
  /** Counter: messages sent, by queue and job, with `error.type` when sending failed. */
  sentMessages: "messaging.client.sent.messages",
} as const;
