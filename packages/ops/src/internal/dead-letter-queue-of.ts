import { NoDeadLetterQueueError, type QueueDriver } from "@glasswork/core";

/** The dead-letter queue of `queue`, or a {@link NoDeadLetterQueueError} when it has none. */
export async function deadLetterQueueOf(driver: QueueDriver, queue: string): Promise<string> {
  const { deadLetterQueue } = await driver.queueInfo(queue);
  if (!deadLetterQueue) throw new NoDeadLetterQueueError(queue);
  return deadLetterQueue;
}
