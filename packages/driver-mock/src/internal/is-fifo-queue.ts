/** True for a FIFO queue: SQS marks them by the `.fifo` suffix of their name. */
export function isFifoQueue(name: string): boolean {
  return name.endsWith(".fifo");
}
