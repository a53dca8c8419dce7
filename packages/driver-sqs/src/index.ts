export { SQS_MAX_DELAY_SECONDS } from "./internal/check-outgoing-message.js";
export { RECEIVE_SYSTEM_ATTRIBUTES } from "./internal/received-message.js";
export { SQS_MAX_BATCH_ENTRIES } from "./internal/send-batches.js";
export { SQSQueueDriver } from "./sqs-queue-driver.js";
export {
  DEFAULT_SEND_CONCURRENCY,
  type SQSQueueDriverOptions,
} from "./sqs-queue-driver-options.js";
