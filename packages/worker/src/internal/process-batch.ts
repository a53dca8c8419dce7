import type { ReceivedMessage } from "@glasswork/core";
import type { JobOutcome } from "../worker-hooks.js";
import { processRecord } from "./process-record.js";
import type { Invocation, WorkerRuntime } from "./worker-runtime.js";

/**
 * Processes a batch: standard-queue records concurrently up to `rt.concurrency`; FIFO records
 * in order within their message group, skipping the rest of a group after a failure. Resolves
 * with one outcome per message, in input order.
 */
export async function processBatch(
  rt: WorkerRuntime,
  invocation: Invocation,
  messages: readonly ReceivedMessage[],
): Promise<JobOutcome[]> {
  // The common case — a standard queue's batch that fits the concurrency — needs no lanes.
  if (messages.length <= rt.concurrency && messages.every((m) => m.groupId === undefined)) {
    return Promise.all(messages.map((message) => startRecord(rt, invocation, message)));
  }
  const outcomes: JobOutcome[] = new Array(messages.length);
  const groups = groupRecords(messages);
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
          const reason = new Error(
            `an earlier message of FIFO group "${stopped}" failed in this batch`,
          );
          outcomes[index] = await release(rt, invocation, message, reason);
          continue;
        }
        outcomes[index] = await startRecord(rt, invocation, message);
        if (message.groupId !== undefined && isFailure(outcomes[index])) stopped = message.groupId;
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

/** Runs a record, unless the deadline is near: then it is released for the next invocation. */
function startRecord(
  rt: WorkerRuntime,
  invocation: Invocation,
  message: ReceivedMessage,
): Promise<JobOutcome> {
  if (invocation.deadline.aborted)
    return release(rt, invocation, message, invocation.deadline.reason);
  return processRecord(rt, invocation, message).catch((error: unknown) =>
    unexpected(rt, message, error),
  );
}

// A throw that escaped the outcome table (a user backoff function, a logger) must not fail the
// whole batch and re-run the records that completed: this record alone comes back.
function unexpected(rt: WorkerRuntime, message: ReceivedMessage, error: unknown): JobOutcome {
  try {
    rt.logger.error(
      { err: error, messageId: message.messageId },
      "unexpected error while processing a record; it will be received again",
    );
  } catch {
    // The logger itself may be what failed.
  }
  return { status: "deferred", error };
}

async function release(
  rt: WorkerRuntime,
  invocation: Invocation,
  message: ReceivedMessage,
  reason: unknown,
): Promise<JobOutcome> {
  try {
    await invocation.settle(message.messageId);
    await rt.driver.changeVisibility(message.queue, message.receiptHandle, 0);
  } catch (error) {
    rt.logger.warn(
      { err: error, messageId: message.messageId },
      "could not release an unstarted message",
    );
  }
  return { status: "deferred", error: reason };
}

// Standard records are groups of one; FIFO records share a group per message group id,
// keeping their order in the batch (which is the queue's order).
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
