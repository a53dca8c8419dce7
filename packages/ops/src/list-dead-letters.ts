import type { QueueDriver } from "@glasswork/core";
import { type DeadLetter, describeDeadLetter } from "./dead-letter.js";
import {
  type DeadLetterFilter,
  matchesFilter,
  type SourceOptions,
  sourceOf,
} from "./dead-letter-filter.js";
import { deadLetterQueueOf } from "./internal/dead-letter-queue-of.js";
import { ReceiveWindow, type ReceiveWindowOptions } from "./internal/receive-window.js";
import { withPhysicalName } from "./internal/with-physical-name.js";

/** Options of {@link listDeadLetters}. */
export interface ListDeadLettersOptions
  extends DeadLetterFilter,
    SourceOptions,
    ReceiveWindowOptions {
  /** Most dead letters to return. Default 1,000. */
  readonly limit?: number;
  /** List the dead letters of every source queue, not only `queue`'s. Default false. */
  readonly allSources?: boolean;
}

/** What {@link listDeadLetters} found. */
export interface DeadLetterListing {
  /** The dead-letter queue that was read. */
  readonly deadLetterQueue: string;
  /** Matching dead letters, each once, oldest first. */
  readonly letters: DeadLetter[];
  /**
   * True when messages may be left unread: the listing stopped at `limit`, at the hold time, or
   * at held FIFO groups (SQS serves nothing of a group while some of it is held: a FIFO
   * dead-letter queue can show at most 10 messages of each group without removing them).
   */
  readonly truncated: boolean;
}

/**
 * Lists the dead letters of a queue without removing them. The dead-letter queue is walked once
 * (each message is held hidden while the walk goes on, then released), so the listing ends
 * whatever the queue's size and speed, and returns each message once. Messages of other source
 * queues sharing the dead-letter queue are left out unless `allSources`; those without a source
 * (moved by SQS's redrive policy) are kept unless `unknownSource: "skip"`.
 *
 * @example
 * // given: driver
 * const { letters } = await listDeadLetters(driver, "default", { jobName: "send-email" });
 * for (const d of letters) console.log(d.jobName, d.reason, d.error);
 */
export async function listDeadLetters(
  driver: QueueDriver,
  queue: string,
  given: ListDeadLettersOptions = {},
): Promise<DeadLetterListing> {
  const options = withPhysicalName(driver, queue, given);
  const deadLetterQueue = await deadLetterQueueOf(driver, queue);
  const limit = options.limit ?? 1_000;
  const window = new ReceiveWindow(driver, deadLetterQueue, options);
  const letters: DeadLetter[] = [];
  try {
    while (letters.length < limit && !window.ended) {
      for (const message of await window.next()) {
        const letter = describeDeadLetter(message);
        const mine = options.allSources || sourceOf(letter, queue, options) !== "no";
        const known =
          options.unknownSource !== "skip" || sourceOf(letter, queue, options) !== "unknown";
        if (mine && known && matchesFilter(letter, options) && letters.length < limit) {
          letters.push(letter);
        }
      }
    }
  } finally {
    await window.release();
  }
  return {
    deadLetterQueue,
    letters: letters.sort((a, b) => a.deadLetteredAt.getTime() - b.deadLetteredAt.getTime()),
    truncated: !window.ended || window.incomplete,
  };
}
