import type { QueueDriver, ReceivedMessage } from "@glasswork/core";
import { describeDeadLetter } from "./dead-letter.js";
import {
  belongsTo,
  type DeadLetterFilter,
  matchesFilter,
  type SourceOptions,
} from "./dead-letter-filter.js";
import { ConfirmationRequiredError } from "./errors.js";
import { deadLetterQueueOf } from "./internal/dead-letter-queue-of.js";
import { ReceiveWindow, type ReceiveWindowOptions } from "./internal/receive-window.js";
import { withPhysicalName } from "./internal/with-physical-name.js";

/** Options of {@link deleteDeadLetters}. */
export interface DeleteDeadLettersOptions
  extends DeadLetterFilter,
    SourceOptions,
    ReceiveWindowOptions {
  /**
   * The queue's name, repeated: deleting is for good. Without it nothing is deleted and a
   * `ConfirmationRequiredError` is thrown.
   */
  readonly confirm: string;
}

/** What {@link deleteDeadLetters} did. */
export interface DeleteDeadLettersResult {
  readonly deadLetterQueue: string;
  /** Dead letters deleted for good. */
  readonly deleted: number;
  /** Ids of the deleted dead letters. */
  readonly messageIds: string[];
}

/**
 * Deletes dead letters of a queue for good: those matching the filter, or with no filter all
 * of the queue's (a purge). A shared dead-letter queue keeps the other queues' messages; like a
 * redrive, it deletes at most what was there when it started and ends while workers run.
 *
 * @example
 * // given: driver
 * await deleteDeadLetters(driver, "default", { messageId: "4f1c…", confirm: "default" });
 * await deleteDeadLetters(driver, "default", { confirm: "default" }); // purge
 */
export async function deleteDeadLetters(
  driver: QueueDriver,
  queue: string,
  given: DeleteDeadLettersOptions,
): Promise<DeleteDeadLettersResult> {
  const options = withPhysicalName(driver, queue, given);
  if (options.confirm !== queue)
    throw new ConfirmationRequiredError(`Deleting dead letters of "${queue}"`, queue);
  const now = options.now ?? Date.now;
  const started = now();
  const deadLetterQueue = await deadLetterQueueOf(driver, queue);
  const window = new ReceiveWindow(driver, deadLetterQueue, options);
  const messageIds: string[] = [];
  const wanted = new Set(
    options.messageId === undefined ? [] : ([options.messageId].flat() as string[]),
  );
  try {
    while (!window.ended) {
      const doomed: ReceivedMessage[] = [];
      for (const message of await window.next()) {
        const letter = describeDeadLetter(message);
        if (
          message.sentTimestamp <= started &&
          belongsTo(letter, queue, options) &&
          matchesFilter(letter, options)
        ) {
          doomed.push(message);
        }
      }
      await window.delete(doomed);
      for (const message of doomed) {
        messageIds.push(message.messageId);
        wanted.delete(message.messageId);
      }
      // Looking for given ids only: stop once they are all gone.
      if (options.messageId !== undefined && wanted.size === 0) break;
    }
  } finally {
    await window.release();
  }
  return { deadLetterQueue, deleted: messageIds.length, messageIds };
}
