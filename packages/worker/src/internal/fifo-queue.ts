/**
 * True for a FIFO queue. SQS requires FIFO queue names to end in `.fifo`, and only FIFO queues
 * keep a message group's order: a standard queue whose producers set `MessageGroupId` (a fair
 * queue) is not one, and its records run concurrently.
 */
export function isFifoQueue(queue: string): boolean {
  return queue.endsWith(".fifo");
}

/**
 * True for a record of a FIFO queue: its queue is named `.fifo`, or it carries a
 * `SequenceNumber`, which SQS assigns to FIFO messages only (fair queues' records have a group id
 * but no sequence number). The poller may know a FIFO queue by a logical name without `.fifo`
 * (`queues: { orders: "https://…/orders.fifo" }`), and names its records' queue after it.
 */
export function isFifoRecord(message: {
  readonly queue: string;
  readonly sequenceNumber?: string | undefined;
}): boolean {
  return isFifoQueue(message.queue) || message.sequenceNumber !== undefined;
}
