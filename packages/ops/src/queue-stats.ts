import type { QueueDriver, QueueStats } from "@glasswork/core";

/** A queue's depth and its dead-letter queue's. */
export interface QueueReport {
  readonly queue: string;
  readonly fifo: boolean;
  /** Visible, in flight and delayed messages (approximate on SQS). */
  readonly stats: QueueStats;
  readonly deadLetterQueue: string | undefined;
  /** The dead-letter queue's depth, when there is one. */
  readonly deadLetters: QueueStats | undefined;
  readonly maxReceiveCount: number | undefined;
}

/**
 * Reads the depth of each queue and of its dead-letter queue.
 *
 * @example
 * // given: driver
 * for (const q of await queueStats(driver, ["default"])) console.log(q.queue, q.stats.visible);
 */
export async function queueStats(
  driver: QueueDriver,
  queues: readonly string[],
): Promise<QueueReport[]> {
  return Promise.all(
    queues.map(async (queue) => {
      const [info, stats] = await Promise.all([driver.queueInfo(queue), driver.stats(queue)]);
      return {
        queue,
        fifo: info.fifo,
        stats,
        deadLetterQueue: info.deadLetterQueue,
        deadLetters: info.deadLetterQueue ? await driver.stats(info.deadLetterQueue) : undefined,
        maxReceiveCount: info.maxReceiveCount,
      };
    }),
  );
}
