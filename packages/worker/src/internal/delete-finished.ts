import type { QueueDriver, ReceivedMessage } from "@glasswork/core";
import type { SQSBatchResponse } from "aws-lambda";

/** What {@link deleteFinished} did with a batch. */
export interface BatchSettled {
  /** Records deleted (not reported failed). */
  readonly done: number;
  /** Records left in the queue. */
  readonly failed: number;
  /** The response named a record not in the batch, so the whole batch failed. */
  readonly unknownIdentifier: boolean;
}

/**
 * Does what the Lambda event source mapping does with a handler's response: deletes every
 * record not reported failed. No response (or no list) means all succeeded; an identifier that
 * is not in the batch fails the whole batch. Rejects when the delete fails.
 */
export async function deleteFinished(
  driver: QueueDriver,
  queue: string,
  messages: readonly ReceivedMessage[],
  response: SQSBatchResponse | undefined,
): Promise<BatchSettled> {
  const failures = response?.batchItemFailures ?? [];
  // The common case, every record done: no sets to build.
  if (failures.length === 0) {
    const handles = new Array<string>(messages.length);
    for (let i = 0; i < messages.length; i++) {
      handles[i] = (messages[i] as ReceivedMessage).receiptHandle;
    }
    if (handles.length > 0) await driver.delete(queue, handles);
    return { done: handles.length, failed: 0, unknownIdentifier: false };
  }
  const failed = new Set(failures.map((f) => f.itemIdentifier));
  const ids = new Set(messages.map((m) => m.messageId));
  if ([...failed].some((id) => !ids.has(id))) {
    return { done: 0, failed: messages.length, unknownIdentifier: true };
  }
  const done = messages.filter((m) => !failed.has(m.messageId)).map((m) => m.receiptHandle);
  if (done.length > 0) await driver.delete(queue, done);
  return { done: done.length, failed: messages.length - done.length, unknownIdentifier: false };
}
