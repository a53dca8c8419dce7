// The hook types live in @glasswork/core (DESIGN §2); re-exported because the worker's options take them.
export type {
  DeadLetterEvent,
  JobExecution,
  JobFailure,
  JobOutcome,
  JobOutcomeStatus,
  WorkerHooks,
} from "@glasswork/core";
export {
  bootstrapWorker,
  type WorkerEvent,
  type WorkerHandler,
  type WorkerOptions,
} from "./bootstrap-worker.js";
export {
  createInlineRunner,
  type InlineRunner,
  type InlineRunnerOptions,
  type InlineWait,
} from "./create-inline-runner.js";
export { type DrainQueueOptions, type DrainQueueResult, drainQueue } from "./drain-queue.js";
export { recordToMessage } from "./lambda-record.js";
export { messageToRecord, type RecordSource } from "./message-to-record.js";
export {
  type PeriodicDetailEvent,
  type PeriodicInvocation,
  readPeriodicInvocation,
} from "./periodic-invocation.js";
export { type Poller, type PollerOptions, startPoller } from "./start-poller.js";
