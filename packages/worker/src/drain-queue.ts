import type { QueueDriver } from "@glasswork/core";
import type { Context, SQSBatchResponse, SQSEvent } from "aws-lambda";
import { deleteFinished } from "./internal/delete-finished.js";
import { lambdaContext } from "./internal/lambda-context.js";
import { messageToRecord } from "./message-to-record.js";

/** Options of {@link drainQueue}. */
export interface DrainQueueOptions {
  /** The handler from `bootstrapWorker`. */
  handler: (event: SQSEvent, context: Context) => Promise<SQSBatchResponse | undefined>;
  driver: QueueDriver;
  /** The queue to drain. Default `"default"`. */
  queue?: string;
  /** Most batches to run, so a job that always fails cannot loop forever. Default 1,000. */
  maxBatches?: number;
}

/** What {@link drainQueue} did. */
export interface DrainQueueResult {
  /** Batches handed to the handler. */
  readonly batches: number;
  /** Records that ended (completed, dead-lettered, discarded, relayed). */
  readonly done: number;
  /** Records reported failed; they are back in the queue after their delay. */
  readonly failed: number;
}

/**
 * Runs every message that is visible now through the worker handler, batch after batch, as
 * Lambda would, until the queue has nothing visible. For unit tests on the mock driver: enqueue,
 * drain, assert. Retries wait for their backoff — advance a `ManualClock` and drain again.
 *
 * @example
 * // given: mockDriver, sendWelcomeEmail, jobs, handler, expect, outbox
 * await jobs.enqueue(sendWelcomeEmail, { userId: "u_1" });
 * await drainQueue({ handler, driver });
 * expect(outbox).toHaveLength(1);
 */
export async function drainQueue(options: DrainQueueOptions): Promise<DrainQueueResult> {
  const queue = options.queue ?? "default";
  const maxBatches = options.maxBatches ?? 1_000;
  const source = {
    eventSourceARN: `arn:aws:sqs:us-east-1:000000000000:${queue}`,
    awsRegion: "us-east-1",
  };
  let batches = 0;
  let done = 0;
  let failed = 0;
  while (batches < maxBatches) {
    const messages = await options.driver.receive(queue, { maxMessages: 10 });
    if (messages.length === 0) break;
    batches++;
    const response = await options.handler(
      { Records: messages.map((m) => messageToRecord(m, source)) },
      lambdaContext({ remainingMs: DRAIN_TIMEOUT_MS, awsRequestId: `drain-${batches}` }),
    );
    const settled = await deleteFinished(options.driver, queue, messages, response);
    done += settled.done;
    failed += settled.failed;
  }
  return { batches, done, failed };
}

/** Lambda's longest timeout: a drain never runs into a deadline. */
const DRAIN_TIMEOUT_MS = 900_000;
