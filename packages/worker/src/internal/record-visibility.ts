import { MAX_VISIBILITY_TIMEOUT_SECONDS, type ReceivedMessage } from "@glasswork/core";
import { OUT_OF_TIME } from "./deadline.js";
import type { RecordRun } from "./record-run.js";
import type { Invocation, WorkerRuntime } from "./worker-runtime.js";

/**
 * Lambda's event source mapping may hold received messages for its batching window (at most
 * 300 s) before it invokes: the receive can be that much older than the invocation.
 */
export const RECEIVE_SLACK_SECONDS = 300;

/**
 * The longest visibility the record may still get: SQS counts its 12 h from the *receive*, not
 * from the change, and refuses a change past it (the retry delay would be lost).
 */
export function visibilityCapSeconds(run: RecordRun): number {
  const elapsedSeconds = Math.max(0, run.rt.now() - run.invocation.startedAt) / 1000;
  return Math.max(
    0,
    Math.floor(MAX_VISIBILITY_TIMEOUT_SECONDS - RECEIVE_SLACK_SECONDS - elapsedSeconds),
  );
}

/**
 * Changes a received message's visibility after the poller's heartbeat let go of it, within the
 * invocation's deadline: {@link OUT_OF_TIME} when the call did not answer in time. Rejects when
 * the driver does.
 */
export function changeVisibilityWithin(
  rt: WorkerRuntime,
  invocation: Invocation,
  message: ReceivedMessage,
  seconds: number,
): Promise<unknown> {
  const set = async () => {
    await invocation.settle(message.messageId);
    await rt.driver.changeVisibility(message.queue, message.receiptHandle, seconds);
  };
  return invocation.deadline.within(set());
}

/** Sets the record's visibility (its retry delay), after the poller's heartbeat let go of it. */
export async function setRecordVisibility(run: RecordRun, seconds: number): Promise<void> {
  const { rt, invocation, message } = run;
  try {
    // Out of time is safe: the record is reported failed either way and comes back, after its
    // retry delay if the call still lands, else after the queue's visibility timeout.
    if ((await changeVisibilityWithin(rt, invocation, message, seconds)) === OUT_OF_TIME) {
      rt.logger.warn(
        { messageId: message.messageId, retryDelaySeconds: seconds },
        "setting the retry delay did not answer before the deadline; the message comes back after its visibility timeout if it does not land",
      );
    }
  } catch (error) {
    // The message still comes back, after the queue's visibility timeout instead of the backoff.
    rt.logger.warn({ err: error, messageId: message.messageId }, "could not set the retry delay");
  }
}
