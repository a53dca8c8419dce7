import { QueueDriverError } from "@glasswork/core";
import { mapWithConcurrency } from "@glasswork/core/internal";
import { chunkBatches } from "./batch-chunks.js";
import { SQS_MAX_BATCH_ENTRIES } from "./send-batches.js";
import type { Sqs } from "./sqs-connection.js";
import { entryFailureToError, type FailureContext, toQueueDriverError } from "./sqs-errors.js";

/** One receipt handle SQS did not delete, with why. */
export interface DeleteFailure {
  /** Its position in the handles passed in. */
  readonly index: number;
  readonly receiptHandle: string;
  readonly error: QueueDriverError;
}

// A rejection lists this many failures by position; the rest are counted.
const LISTED_FAILURES = 10;

/**
 * Deletes received messages with `DeleteMessageBatch`, 10 at a time, `concurrency` requests at
 * once. Rejects with one `QueueDriverError` that lists the handles SQS did not delete (its
 * `cause` holds every {@link DeleteFailure}), retryable when all of them are.
 */
export async function deleteBatches(
  { sdk, client }: Sqs,
  target: { readonly queue: string; readonly url: string; readonly concurrency: number },
  receiptHandles: readonly string[],
): Promise<void> {
  const { queue, url, concurrency } = target;
  const context: FailureContext = { queue, operation: "delete", action: "sqs:DeleteMessage" };
  const chunks = chunkBatches(receiptHandles, () => 0, {
    maxEntries: SQS_MAX_BATCH_ENTRIES,
    maxBytes: Number.POSITIVE_INFINITY,
  });
  const failures: DeleteFailure[] = [];
  await mapWithConcurrency(chunks, concurrency, async (chunk, c) => {
    const start = c * SQS_MAX_BATCH_ENTRIES;
    try {
      const { Failed = [] } = await client.send(
        new sdk.DeleteMessageBatchCommand({
          QueueUrl: url,
          Entries: chunk.map((receiptHandle, i) => ({
            Id: String(i),
            ReceiptHandle: receiptHandle,
          })),
        }),
      );
      for (const entry of Failed) {
        const i = Number(entry.Id);
        failures.push({
          index: start + i,
          receiptHandle: chunk[i] ?? "",
          error: entryFailureToError(entry, context),
        });
      }
    } catch (error) {
      const failure = toQueueDriverError(error, context);
      chunk.forEach((receiptHandle, i) => {
        failures.push({ index: start + i, receiptHandle, error: failure });
      });
    }
  });
  if (failures.length > 0) throw aggregate(queue, receiptHandles.length, failures);
}

function aggregate(queue: string, total: number, failures: DeleteFailure[]): QueueDriverError {
  failures.sort((a, b) => a.index - b.index);
  const listed = failures
    .slice(0, LISTED_FAILURES)
    .map((f) => `#${f.index}: ${f.error.detail}`)
    .join("; ");
  const more =
    failures.length > LISTED_FAILURES ? `; and ${failures.length - LISTED_FAILURES} more` : "";
  return new QueueDriverError(
    queue,
    "delete",
    `${failures.length} of ${total} messages were not deleted (${listed}${more})`,
    { cause: failures, retryable: failures.every((f) => f.error.retryable) },
  );
}
