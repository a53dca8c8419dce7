import { randomUUID } from "node:crypto";
import type { QueueDriver, ReceivedMessage } from "@glasswork/core";
import { type DeadLetter, describeDeadLetter } from "./dead-letter.js";
import {
  belongsTo,
  type DeadLetterFilter,
  matchesFilter,
  type SourceOptions,
  sourceOf,
} from "./dead-letter-filter.js";
import { RedriveIncompleteError } from "./errors.js";
import { backToSource, REDRIVE_RUN_ATTRIBUTE } from "./internal/back-to-source.js";
import { deadLetterQueueOf } from "./internal/dead-letter-queue-of.js";
import { RateLimiter } from "./internal/rate-limiter.js";
import { ReceiveWindow, type ReceiveWindowOptions } from "./internal/receive-window.js";
import { withPhysicalName } from "./internal/with-physical-name.js";

/** Options of {@link redriveDeadLetters}. */
export interface RedriveOptions extends DeadLetterFilter, SourceOptions, ReceiveWindowOptions {
  /**
   * Most messages to move. Default: the dead-letter queue's approximate depth when the redrive
   * starts, as SQS's `StartMessageMoveTask` does.
   */
  readonly limit?: number;
  /** Most messages moved per second. Default: no limit. */
  readonly ratePerSecond?: number;
  /** List what would move, move nothing. */
  readonly dryRun?: boolean;
  /** Called after every batch. */
  readonly onProgress?: (progress: RedriveProgress) => void;
}

/** How far a redrive has come. */
export interface RedriveProgress {
  readonly moved: number;
  readonly failed: number;
  readonly skipped: number;
  /** The most it will move (the dead-letter queue's depth at the start, or `limit`). */
  readonly total: number;
}

/** Dead letters a redrive looked at and left in the dead-letter queue, by why. */
export interface RedriveSkipped {
  /** Dead-lettered after the redrive started: a redriven job failing again lands here. */
  readonly arrivedAfterStart: number;
  /** From another queue sharing the dead-letter queue. */
  readonly otherQueue: number;
  /** Without a source (moved by SQS's redrive policy); see `unknownSource`. */
  readonly unknownSource: number;
  /** Not matching the job name / reason / fingerprint / id filter. */
  readonly filtered: number;
  /** Beyond `limit` (or the depth at the start). */
  readonly overLimit: number;
}

/** What {@link redriveDeadLetters} did. */
export interface RedriveResult {
  readonly deadLetterQueue: string;
  /** Messages sent back to their queue and removed from the dead-letter queue. */
  readonly moved: number;
  /** Messages that could not be sent back; they stay in the dead-letter queue. */
  readonly failed: number;
  readonly skipped: RedriveSkipped;
  /** The dead-letter queue's approximate depth when the redrive started. */
  readonly depthAtStart: number;
  /**
   * False when the walk ended before it had seen every dead letter it might move: at the hold
   * time (`holdSeconds`), or at FIFO groups held by letters it skipped (SQS serves a group in
   * order, so a filtered redrive cannot reach a match behind non-matching letters of its group).
   * Run it again (after moving or deleting what blocks) to go on.
   */
  readonly complete: boolean;
  /** With `dryRun`: the dead letters that would move. Empty otherwise. */
  readonly wouldMove: DeadLetter[];
  readonly durationMs: number;
}

/**
 * Sends dead letters back to their queue to run again (once the cause is fixed), without their
 * dead-letter details; each leaves the dead-letter queue only once it is back. Job ids are kept,
 * so idempotent handlers stay safe.
 *
 * It moves at most what was in the dead-letter queue when it started, like SQS's
 * `StartMessageMoveTask`, and it ends while workers run: a redriven job that fails again is
 * dead-lettered after the start (or under an id this redrive sent) and is left where it is.
 * Only dead letters of `queue` move (a shared dead-letter queue keeps the others' messages).
 *
 * @example
 * // given: driver
 * const result = await redriveDeadLetters(driver, "default", {
 *   jobName: "send-welcome-email",
 *   ratePerSecond: 50,
 *   onProgress: (p) => console.log(`${p.moved}/${p.total}`),
 * });
 */
export async function redriveDeadLetters(
  driver: QueueDriver,
  queue: string,
  given: RedriveOptions = {},
): Promise<RedriveResult> {
  const options = withPhysicalName(driver, queue, given);
  const now = options.now ?? Date.now;
  const started = now();
  const deadLetterQueue = await deadLetterQueueOf(driver, queue);
  const depth = await driver.stats(deadLetterQueue);
  const depthAtStart = depth.visible + depth.delayed;
  const total = options.limit ?? depthAtStart;
  const limiter = new RateLimiter(options.ratePerSecond);
  const window = new ReceiveWindow(driver, deadLetterQueue, options);
  // Every message sent back carries this id; a dead letter carrying it is one of ours coming
  // back (the job failed again while the redrive runs) and stays where it is.
  const runId = randomUUID();
  const skipped = {
    arrivedAfterStart: 0,
    otherQueue: 0,
    unknownSource: 0,
    filtered: 0,
    overLimit: 0,
  };
  const wouldMove: DeadLetter[] = [];
  let moved = 0;
  let failed = 0;
  const progress = () =>
    options.onProgress?.({
      moved: options.dryRun ? wouldMove.length : moved,
      failed,
      skipped: Object.values(skipped).reduce((a, b) => a + b, 0),
      total,
    });

  try {
    while (!window.ended && moved + failed + wouldMove.length < total) {
      const candidates: ReceivedMessage[] = [];
      for (const message of await window.next(total - moved - failed - wouldMove.length)) {
        const letter = describeDeadLetter(message);
        if (
          message.attributes[REDRIVE_RUN_ATTRIBUTE] === runId ||
          message.sentTimestamp > started
        ) {
          skipped.arrivedAfterStart++;
        } else if (!belongsTo(letter, queue, options)) {
          if (sourceOf(letter, queue, options) === "no") skipped.otherQueue++;
          else skipped.unknownSource++;
        } else if (!matchesFilter(letter, options)) {
          skipped.filtered++;
        } else if (moved + failed + wouldMove.length + candidates.length >= total) {
          skipped.overLimit++;
        } else if (options.dryRun) {
          wouldMove.push(letter);
        } else {
          candidates.push(message);
        }
      }
      if (candidates.length > 0) {
        await limiter.take(candidates.length);
        const results = await driver.send(candidates.map((m) => backToSource(queue, m, runId)));
        const back = candidates.filter((_, i) => results[i]?.ok);
        failed += candidates.length - back.length;
        try {
          await window.delete(back);
        } catch (error) {
          // Back in their queue but still in the dead-letter queue: stop rather than let a
          // second redrive send them again.
          throw new RedriveIncompleteError(moved + back.length, failed, error);
        }
        moved += back.length;
      }
      progress();
    }
  } finally {
    await window.release();
  }
  return {
    deadLetterQueue,
    moved,
    failed,
    skipped,
    depthAtStart,
    complete: !window.incomplete,
    wouldMove,
    durationMs: now() - started,
  };
}
