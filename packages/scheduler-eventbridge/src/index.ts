export { ScheduleConflictError, SchedulerError } from "./errors.js";
export {
  EventBridgeScheduler,
  type EventBridgeSchedulerOptions,
  eventBridgeScheduler,
} from "./event-bridge-scheduler.js";
export { atExpression, parseAtExpression } from "./schedule-expression.js";
export {
  checkScheduleNamePrefix,
  DEFAULT_SCHEDULE_NAME_PREFIX,
  MAX_SCHEDULE_NAME_LENGTH,
  scheduleName,
} from "./schedule-name.js";
export {
  parseQueueArn,
  type QueueArn,
  queueUrlOf,
  type SqsTargetKind,
  type SqsTargetOptions,
  sqsTarget,
} from "./sqs-target.js";
