export { MAX_DEAD_LETTER_ERROR_LENGTH } from "./dead-letter-attributes.js";
export { RECEIVE_SYSTEM_ATTRIBUTES } from "./received-message.js";
export {
  DEFAULT_SEND_CONCURRENCY,
  SQS_MAX_BATCH_ENTRIES,
  SQS_MAX_DELAY_SECONDS,
  SQSQueueDriver,
  type SQSQueueDriverOptions,
} from "./sqs-queue-driver.js";
