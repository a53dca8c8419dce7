export { type Clock, ManualClock, systemClock } from "./clock.js";
export type { MockOperation } from "./fault-injector.js";
export { MockQueueDriver, type MockQueueDriverOptions } from "./mock-queue-driver.js";
export type { DeadLetterRecord, EnqueuedRecord } from "./mock-records.js";
