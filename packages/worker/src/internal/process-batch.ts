import {
  FifoGroupHeldBackError,
  type JobOutcome,
  type ReceivedMessage,
  TransientJobError,
} from "@glasswork/core";
import { OUT_OF_TIME } from "./deadline.js";
import { isFifoRecord } from "./fifo-queue.js";
import { STILL_RUNNING_RELEASE_SECONDS } from "./given-up-runs.js";
import { type MaybeOutcome, processRecord } from "./process-record.js";
import { changeVisibilityWithin } from "./record-visibility.js";
import { recoverRecord } from "./recover-record.js";
import type { Invocation, WorkerRuntime } from "./worker-runtime.js";

/**
 * Processes a batch: standard-queue records concurrently up to `rt.concurrency`; FIFO records
 * in order within their message group, skipping the rest of a group after a failure. Gives one
 * outcome per message, in input order: synchronously when every record finished synchronously
 * (no hooks, synchronous schemas and handlers, successes), else a promise of them.
 */
export function processBatch(
  rt: WorkerRuntime,
  invocation: Invocation,
  messages: readonly ReceivedMessage[],
): JobOutcome[] | Promise<JobOutcome[]> {
  // The common case — a standard queue's batch that fits the concurrency — needs no lanes.
  // FIFO is the queue's property: a fair queue's records carry group ids and run concurrently.
  const fifo = messages.length > 0 && isFifoRecord(messages[0] as ReceivedMessage);
  if (messages.length > rt.concurrency || fifo)
    return processInLanes(rt, invocation, messages, fifo);
  const outcomes: MaybeOutcome[] = new Array(messages.length);
  let pending = 0;
  for (let i = 0; i < messages.length; i++) {
    const outcome = startRecord(rt, invocation, messages[i] as ReceivedMessage);
    if (outcome instanceof Promise) pending++;
    outcomes[i] = outcome;
  }
  return pending === 0
    ? (outcomes as JobOutcome[])
    : joinOutcomes(rt, invocation, messages, outcomes, pending);
}

// Promise.all with each record's recovery in the same reaction: one `then` per waiting record,
// where `.catch()` and Promise.all would take three promises.
function joinOutcomes(
  rt: WorkerRuntime,
  invocation: Invocation,
  messages: readonly ReceivedMessage[],
  outcomes: MaybeOutcome[],
  pending: number,
): Promise<JobOutcome[]> {
  return new Promise((resolve) => {
    let waiting = pending;
    const settle = (index: number, outcome: JobOutcome) => {
      outcomes[index] = outcome;
      if (--waiting === 0) resolve(outcomes as JobOutcome[]);
    };
    for (let i = 0; i < outcomes.length; i++) {
      const outcome = outcomes[i];
      if (!(outcome instanceof Promise)) continue;
      outcome.then(
        (settled) => settle(i, settled),
        (error: unknown) =>
          recoverRecord(rt, invocation, messages[i] as ReceivedMessage, error).then((recovered) =>
            settle(i, recovered),
          ),
      );
    }
  });
}

async function processInLanes(
  rt: WorkerRuntime,
  invocation: Invocation,
  messages: readonly ReceivedMessage[],
  fifo: boolean,
): Promise<JobOutcome[]> {
  const outcomes: JobOutcome[] = new Array(messages.length);
  const groups = fifo ? groupRecords(messages) : messages.map((_, index) => [index]);
  let next = 0;
  const lane = async () => {
    while (next < groups.length) {
      const group = groups[next++] as number[];
      let stopped: string | undefined;
      for (const index of group) {
        const message = messages[index] as ReceivedMessage;
        // Unstarted records are released at once (visibility 0). A stopped FIFO group still
        // waits for its failed message's backoff: SQS delivers nothing of a group while an
        // earlier message of it is in flight.
        if (stopped !== undefined) {
          outcomes[index] = await release(
            rt,
            invocation,
            message,
            new FifoGroupHeldBackError(stopped),
          );
          continue;
        }
        outcomes[index] = await recovering(
          rt,
          invocation,
          message,
          startRecord(rt, invocation, message),
        );
        if (fifo && message.groupId !== undefined && isFailure(outcomes[index]))
          stopped = message.groupId;
      }
    }
  };
  await Promise.all(Array.from({ length: Math.min(rt.concurrency, groups.length) }, lane));
  return outcomes;
}

/** True when the outcome leaves the message in its queue: the batch reports it as failed. */
export function isFailure(outcome: JobOutcome | undefined): boolean {
  return outcome === undefined || outcome.status === "retry" || outcome.status === "deferred";
}

/**
 * Runs a record, unless the deadline is near: then it is released for the next invocation. A
 * throw becomes the record's recovery; a rejection is the caller's to recover (see
 * {@link recovering}).
 */
function startRecord(
  rt: WorkerRuntime,
  invocation: Invocation,
  message: ReceivedMessage,
): MaybeOutcome {
  if (invocation.deadline.aborted)
    return release(rt, invocation, message, invocation.deadline.reason);
  if (rt.givenUp.has(message.messageId)) {
    rt.logger.warn(
      { messageId: message.messageId, queue: message.queue },
      "the job's given-up run from an earlier receive still runs in this instance; released without running it",
    );
    return release(
      rt,
      invocation,
      message,
      new TransientJobError("the job's earlier run is still running in this worker instance"),
      STILL_RUNNING_RELEASE_SECONDS,
    );
  }
  try {
    return processRecord(rt, invocation, message);
  } catch (error) {
    return recoverRecord(rt, invocation, message, error);
  }
}

function recovering(
  rt: WorkerRuntime,
  invocation: Invocation,
  message: ReceivedMessage,
  outcome: MaybeOutcome,
): MaybeOutcome {
  return outcome instanceof Promise
    ? outcome.catch((error: unknown) => recoverRecord(rt, invocation, message, error))
    : outcome;
}

// A release is not an attempt: the ledger remembers it, so that the record's next receive does
// not count it against the job's maxAttempts.

async function release(
  rt: WorkerRuntime,
  invocation: Invocation,
  message: ReceivedMessage,
  reason: unknown,
  visibilitySeconds = 0,
): Promise<JobOutcome> {
  rt.ledger.released(message.messageId);
  try {
    // Out of time is safe: the record is reported failed either way; it only comes back after
    // the queue's visibility timeout instead of at once.
    const set = await changeVisibilityWithin(rt, invocation, message, visibilitySeconds);
    if (set === OUT_OF_TIME) {
      rt.logger.warn(
        { messageId: message.messageId },
        "releasing an unstarted message did not answer before the deadline; it comes back after its visibility timeout",
      );
    }
  } catch (error) {
    rt.logger.warn(
      { err: error, messageId: message.messageId },
      "could not release an unstarted message",
    );
  }
  return { status: "deferred", error: reason };
}

// FIFO records share a group per message group id, keeping their order in the batch (which is
// the queue's order); one without a group id is a group of one.
function groupRecords(messages: readonly ReceivedMessage[]): number[][] {
  const groups: number[][] = [];
  const byGroupId = new Map<string, number[]>();
  messages.forEach((message, index) => {
    if (message.groupId === undefined) {
      groups.push([index]);
      return;
    }
    let group = byGroupId.get(message.groupId);
    if (!group) {
      group = [];
      byGroupId.set(message.groupId, group);
      groups.push(group);
    }
    group.push(index);
  });
  return groups;
}
