import {
  createJsonLogger,
  type Logger,
  type QueueDriver,
  type ReceivedMessage,
} from "@glasswork/core";
import { timerDelay } from "@glasswork/core/internal";
import type { Context, SQSBatchResponse, SQSEvent } from "aws-lambda";
import { deleteFinished } from "./internal/delete-finished.js";
import { lambdaContext } from "./internal/lambda-context.js";
import { runMessagesOf } from "./internal/run-messages.js";
import { VisibilityHeartbeat } from "./internal/visibility-heartbeat.js";
import { queueNameFromArn } from "./lambda-record.js";
import { messageToRecord } from "./message-to-record.js";

/** Options of {@link startPoller}. */
export interface PollerOptions {
  /** The handler from `bootstrapWorker` (or any Lambda SQS handler). */
  handler: (event: SQSEvent, context: Context) => Promise<SQSBatchResponse | undefined>;
  driver: QueueDriver;
  /** The queue to poll (as the driver names it). */
  queue: string;
  /** Messages per batch, 1..10. Default 10. */
  batchSize?: number;
  /**
   * Long-poll wait, 0..20 s. Default 20. With 0 (or a driver that answers at once) a lane pauses
   * so that it makes at most one empty receive per second. `stop()` waits for a receive in
   * flight, so it takes up to this long.
   */
  waitTimeSeconds?: number;
  /** Visibility timeout of received messages, extended while their batch runs. Default 30 s. */
  visibilityTimeout?: number;
  /** Batches in flight at once, like concurrent Lambda invocations. Default 1. */
  concurrency?: number;
  /** The Lambda timeout to imitate: the handler's remaining time starts here. Default 900 s. */
  functionTimeoutSeconds?: number;
  /**
   * How long a job the worker gave up on at the deadline may keep its message hidden while its
   * handler still runs (outside Lambda nothing freezes it). After this the message is released
   * anyway, and the job may run twice at once. Default 900 s.
   */
  maxOverrunSeconds?: number;
  /** Stops the poller when aborted. */
  signal?: AbortSignal;
  /** OS signals that stop the poller gracefully. Default `["SIGTERM"]`; `[]` for none. */
  stopOnSignals?: readonly NodeJS.Signals[];
  /** The region and account in the records' `eventSourceARN`. */
  region?: string;
  accountId?: string;
  logger?: Logger;
}

/** A running poller. */
export interface Poller {
  /**
   * Stops receiving, waits for the receives and batches in flight (messages a receive returns
   * after the stop are released at once), and for given-up jobs still running, then resolves.
   */
  stop(): Promise<void>;
  /** Resolves when the poller has stopped. */
  readonly stopped: Promise<void>;
}

/**
 * Runs a worker handler outside Lambda: long-polls the queue, hands each batch to the handler
 * as an SQS event built exactly like Lambda's, deletes the records that succeeded, keeps running
 * records invisible (heartbeat), and stops gracefully.
 *
 * @example
 * // given: handler, driver
 * const poller = startPoller({ handler, driver, queue: "default" });
 * process.on("SIGINT", () => poller.stop());
 */
export function startPoller(options: PollerOptions): Poller {
  const batchSize = options.batchSize ?? 10;
  const concurrency = options.concurrency ?? 1;
  if (!Number.isInteger(concurrency) || concurrency < 1) {
    throw new RangeError(`concurrency must be an integer >= 1, got ${concurrency}`);
  }
  if (!Number.isInteger(batchSize) || batchSize < 1 || batchSize > 10) {
    throw new RangeError(`batchSize must be 1..10, got ${batchSize}`);
  }
  const visibilityTimeout = options.visibilityTimeout ?? 30;
  // 0 would make every received message visible again at once (and the heartbeat spin): another
  // lane or process would run the same job beside it. SQS accepts 0..43,200 and 0..20.
  if (!Number.isInteger(visibilityTimeout) || visibilityTimeout < 1 || visibilityTimeout > 43_200) {
    throw new RangeError(
      `visibilityTimeout must be an integer 1..43200 s, got ${visibilityTimeout}`,
    );
  }
  const waitTimeSeconds = options.waitTimeSeconds ?? 20;
  if (!Number.isInteger(waitTimeSeconds) || waitTimeSeconds < 0 || waitTimeSeconds > 20) {
    throw new RangeError(`waitTimeSeconds must be an integer 0..20, got ${waitTimeSeconds}`);
  }
  const logger = options.logger ?? createJsonLogger();
  const maxOverrunSeconds = options.maxOverrunSeconds ?? 900;
  const functionTimeoutSeconds = options.functionTimeoutSeconds ?? 900;
  // The heartbeat keeps a message hidden for at most the function time, the overrun of a
  // given-up job and one more extension; SQS refuses visibility beyond 12 h after the receive,
  // after which the message reappears and a second worker runs the job beside the first.
  if (!(functionTimeoutSeconds + maxOverrunSeconds + visibilityTimeout <= 43_200)) {
    throw new RangeError(
      `functionTimeoutSeconds + maxOverrunSeconds + visibilityTimeout must be at most 43200 s (SQS keeps a message hidden at most 12 h after its receive), got ${functionTimeoutSeconds} + ${maxOverrunSeconds} + ${visibilityTimeout}`,
    );
  }
  const drains = new Set<Promise<void>>();
  const timeoutMs = functionTimeoutSeconds * 1000;
  const region = options.region ?? "us-east-1";
  const source = {
    // A queue URL becomes its name: the worker reads the queue from the ARN's last segment.
    eventSourceARN: `arn:aws:sqs:${region}:${options.accountId ?? "000000000000"}:${options.queue.slice(options.queue.lastIndexOf("/") + 1)}`,
    awsRegion: region,
  };
  const stopping = new AbortController();
  const stop = () => stopping.abort();
  options.signal?.addEventListener("abort", stop, { once: true });
  if (options.signal?.aborted) stop();
  const osSignals = options.stopOnSignals ?? ["SIGTERM"];
  for (const name of osSignals) process.once(name, stop);

  // A handler from this package's bootstrapWorker takes the driver's messages as they are: no
  // Lambda record per message for the worker to read back, no Lambda context per batch.
  const runMessages = runMessagesOf(options.handler);
  const sourceQueue = queueNameFromArn(source.eventSourceARN);

  const runBatch = async (messages: ReceivedMessage[]) => {
    const heartbeat = new VisibilityHeartbeat(
      options.driver,
      options.queue,
      messages,
      visibilityTimeout,
      logger,
      maxOverrunSeconds,
    );
    let response: SQSBatchResponse | undefined;
    try {
      response = runMessages
        ? await runMessages(asFromSource(messages, sourceQueue), {
            remainingMs: timeoutMs,
            settle: heartbeat.settle,
            hold: heartbeat.hold,
          })
        : await options.handler(
            { Records: messages.map((m) => messageToRecord(m, source)) },
            lambdaContext({
              remainingMs: timeoutMs,
              settle: heartbeat.settle,
              hold: heartbeat.hold,
            }),
          );
    } catch (error) {
      // Like Lambda: a handler that throws fails the whole batch, which comes back later.
      logger.error({ err: error, queue: options.queue }, "the handler failed the whole batch");
      return;
    } finally {
      await heartbeat.stop();
      // Only a batch with a given-up job still running leaves something to wait for.
      if (heartbeat.holding) {
        const drain = heartbeat.drained();
        drains.add(drain);
        void drain.then(() => drains.delete(drain));
      }
    }
    const settled = await deleteFinished(options.driver, options.queue, messages, response).catch(
      (error: unknown) => {
        logger.error(
          { err: error, queue: options.queue },
          "could not delete finished messages; they will run again",
        );
      },
    );
    if (settled?.unknownIdentifier) {
      logger.error(
        { queue: options.queue },
        "the handler reported an unknown itemIdentifier; the whole batch failed",
      );
    }
  };

  // A receive that returns after stop() was called: SQS has already hidden its messages, so they
  // are made visible again at once rather than after the visibility timeout.
  const release = async (messages: readonly ReceivedMessage[]) => {
    await Promise.all(
      messages.map((m) =>
        options.driver
          .changeVisibility(options.queue, m.receiptHandle, 0)
          .catch((error: unknown) => {
            logger.warn(
              { err: error, messageId: m.messageId, queue: options.queue },
              "could not release a message received while stopping; it comes back after its visibility timeout",
            );
          }),
      ),
    );
  };

  const lane = async () => {
    let failures = 0;
    while (!stopping.signal.aborted) {
      const receivedAt = Date.now();
      let messages: ReceivedMessage[];
      try {
        // No abort signal: an aborted long poll can still take a message on the server side,
        // which then stays hidden for its whole visibility timeout with nobody to run it.
        messages = await options.driver.receive(options.queue, {
          maxMessages: batchSize,
          waitTimeSeconds,
          visibilityTimeoutSeconds: visibilityTimeout,
        });
        failures = 0;
      } catch (error) {
        if (stopping.signal.aborted) break;
        failures++;
        logger.error({ err: error, queue: options.queue }, "receive failed; retrying");
        await pause(Math.min(5_000, 100 * 2 ** failures), stopping.signal);
        continue;
      }
      if (stopping.signal.aborted) {
        await release(messages);
        break;
      }
      if (messages.length > 0) await runBatch(messages);
      // At most one empty receive per second and lane: with waitTimeSeconds 0 the loop would
      // otherwise spin (and on an in-memory driver never yield, so stop() could not run).
      else await pause(EMPTY_RECEIVE_INTERVAL_MS - (Date.now() - receivedAt), stopping.signal);
    }
  };

  const stopped = Promise.all(Array.from({ length: concurrency }, lane))
    .then(() => Promise.all(drains))
    .then(() => {
      for (const name of osSignals) process.removeListener(name, stop);
      options.signal?.removeEventListener("abort", stop);
    });
  return {
    stop: () => {
      stop();
      return stopped;
    },
    stopped,
  };
}

/** The shortest time between two empty receives of one lane. */
const EMPTY_RECEIVE_INTERVAL_MS = 1_000;

/**
 * The messages as the worker's Lambda path would read them from their records: with the queue
 * name of the records' ARN (a URL polled becomes its last segment). Copied only when it differs.
 */
function asFromSource(messages: ReceivedMessage[], queue: string): readonly ReceivedMessage[] {
  return messages.every((m) => m.queue === queue)
    ? messages
    : messages.map((m) => ({ ...m, queue }));
}

function pause(ms: number, signal: AbortSignal): Promise<void> {
  if (ms <= 0 || signal.aborted) return Promise.resolve();
  return new Promise((resolve) => {
    const done = () => {
      clearTimeout(timer);
      signal.removeEventListener("abort", done);
      resolve();
    };
    const timer = setTimeout(done, timerDelay(ms));
    signal.addEventListener("abort", done, { once: true });
  });
}
