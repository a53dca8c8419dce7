/**
 * True for a FIFO queue. SQS requires FIFO queue names to end in `.fifo`, and only FIFO queues
 * keep a message group's order: a standard queue whose producers set `MessageGroupId` (a fair
 * queue) is not one, and its records run concurrently.
 */
export function isFifoQueue(queue: string): boolean {
  return queue.endsWith(".fifo");
}
