import type { Message } from "@aws-sdk/client-sqs";
import { type QueueDriver, silentLogger } from "@glasswork/core";
import { startPoller, type WorkerHandler } from "@glasswork/worker";
import type { FauxqsTestServer, TestQueue } from "../../../packages/driver-sqs/src/test-fauxqs.js";
import { readQueue } from "./queue-contents.js";
import { waitFor } from "./wait-for.js";

/** What {@link pollUntilEmpty} saw. */
export interface PollRun {
  /** Everything in the dead-letter queue afterwards. */
  readonly dead: Message[];
  /** Times the handler threw out (it never should). */
  readonly handlerThrew: number;
}

/**
 * Runs the worker handler through the real poller on `queue` (the driver's `"default"`) until
 * the queue holds nothing visible, in flight or delayed; then stops, reads the dead-letter queue
 * and disposes the driver.
 */
export async function pollUntilEmpty(options: {
  readonly sqs: FauxqsTestServer;
  readonly queue: TestQueue;
  readonly deadLetter: TestQueue;
  readonly driver: QueueDriver;
  readonly handler: WorkerHandler;
  readonly concurrency: number;
  readonly timeoutMs: number;
}): Promise<PollRun> {
  const { sqs, queue, deadLetter, driver, handler } = options;
  let handlerThrew = 0;
  const poller = startPoller({
    handler: async (event, context) => {
      try {
        return await handler(event, context);
      } catch (error) {
        handlerThrew++;
        throw error;
      }
    },
    driver,
    queue: "default",
    visibilityTimeout: 5,
    waitTimeSeconds: 1,
    concurrency: options.concurrency,
    stopOnSignals: [],
    logger: silentLogger,
  });
  try {
    await waitFor(
      "an empty queue",
      async () => {
        const depth = await sqs.depth(queue);
        return depth.visible + depth.inFlight + depth.delayed === 0;
      },
      { timeoutMs: options.timeoutMs, intervalMs: 100 },
    );
  } finally {
    await poller.stop();
  }
  const dead = await readQueue(sqs.client, deadLetter.url);
  await driver.dispose();
  return { dead, handlerThrew };
}
