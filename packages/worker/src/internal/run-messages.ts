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

// Not `Symbol.for`: only a poller of this very copy of the package may take the shortcut; any
// other handler (another copy or version of the worker, a user's own) gets Lambda events.
const RUN_MESSAGES = Symbol("@glasswork/worker/run-messages");

// The function each entry was put on. A Proxy around the handler reads its target's entry, and
// a wrapper that copies the handler's own properties (vi.fn, mimic-function) carries it too:
// those must be called, so the entry counts only on the very function it was put on.
const owners = new WeakMap<RunMessages, object>();

/** Puts `run` on `handler`, non-enumerable and read-only: internal to this package. */
export function exposeRunMessages(handler: object, run: RunMessages): void {
  Object.defineProperty(handler, RUN_MESSAGES, { value: run });
  owners.set(run, handler);
}

/** The handler's {@link RunMessages}, when `bootstrapWorker` of this package made it. */
export function runMessagesOf(handler: object): RunMessages | undefined {
  const run = (handler as { [RUN_MESSAGES]?: unknown })[RUN_MESSAGES];
  return typeof run === "function" && owners.get(run as RunMessages) === handler
    ? (run as RunMessages)
    : undefined;
}
