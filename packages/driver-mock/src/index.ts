export { type Clock, ManualClock, systemClock } from "./clock.js";
export {
  type DeadLetterRecord,
  type EnqueuedRecord,
  type MockOperation,
  MockQueueDriver,
  type MockQueueDriverOptions,
} from "./mock-queue-driver.js";
