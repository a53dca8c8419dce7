import type { ReceivedMessage } from "@glasswork/core";
import type { SQSBatchResponse } from "aws-lambda";
import type { HoldWhileRunning } from "./hold-while-running.js";

/** What the poller gives a batch it runs through {@link RunMessages}: what its Lambda context would carry. */
export interface MessagesRun {
  /** The invocation's time, in ms (the Lambda context's `getRemainingTimeInMillis()`). */
  readonly remainingMs: number;
  /** See `SETTLE`. */
  readonly settle: (messageId: string) => Promise<void>;
  /** See `HOLD_WHILE_RUNNING`. */
  readonly hold: HoldWhileRunning;
}

/**
 * A worker handler's entry for messages the poller received from the driver: the same run as
 * the Lambda entry (cold-start work, services, deadline, outcomes), without turning each
 * message into a Lambda record and back, and without a Lambda context. It resolves with the
 * same response the Lambda entry gives. The messages' `queue` must be the queue name the Lambda
 * path would read from the records' ARN.
 */
export type RunMessages = (
  messages: readonly ReceivedMessage[],
  run: MessagesRun,
) => Promise<SQSBatchResponse>;

// Keyed by the very function bootstrapWorker returned, not a property on it: a Proxy around the
// handler, or a wrapper that copies its own properties (vi.fn, mimic-function), is another
// object and must be called; another copy or version of this package has its own map.
const entries = new WeakMap<object, RunMessages>();

/** Registers `run` as `handler`'s entry for the poller: internal to this package. */
export function exposeRunMessages(handler: object, run: RunMessages): void {
  entries.set(handler, run);
}

/** The handler's {@link RunMessages}, when `bootstrapWorker` of this package made it. */
export function runMessagesOf(handler: object): RunMessages | undefined {
  return entries.get(handler);
}
