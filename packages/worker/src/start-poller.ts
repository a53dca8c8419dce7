import { randomUUID } from "node:crypto";
import {
  createJsonLogger,
  type Logger,
  type QueueDriver,
  type ReceivedMessage,
} from "@glasswork/core";
import type { Context, SQSBatchResponse, SQSEvent } from "aws-lambda";
import { SETTLE } from "./internal/settle.js";
import { VisibilityHeartbeat } from "./internal/visibility-heartbeat.js";
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
  /** Long-poll wait, 0..20 s. Default 20. */
  waitTimeSeconds?: number;
  /** Visibility timeout of received messages, extended while their batch runs. Default 30 s. */
  visibilityTimeout?: number;
  /** Batches in flight at once, like concurrent Lambda invocations. Default 1. */
  concurrency?: number;
  /** The Lambda timeout to imitate: the handler's remaining time starts here. Default 900 s. */
  functionTimeoutSeconds?: number;
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
  /** Stops receiving, waits for the batches in flight, then resolves. */
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
  const logger = options.logger ?? createJsonLogger();
  const visibilityTimeout = options.visibilityTimeout ?? 30;
  const timeoutMs = (options.functionTimeoutSeconds ?? 900) * 1000;
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

  const runBatch = async (messages: ReceivedMessage[]) => {
    const heartbeat = new VisibilityHeartbeat(
      options.driver,
      options.queue,
      messages,
      visibilityTimeout,
      logger,
    );
    let response: SQSBatchResponse | undefined;
    try {
      response = await options.handler(
        { Records: messages.map((m) => messageToRecord(m, source)) },
        lambdaContext(timeoutMs, heartbeat.settle),
      );
    } catch (error) {
      // Like Lambda: a handler that throws fails the whole batch, which comes back later.
      logger.error({ err: error, queue: options.queue }, "the handler failed the whole batch");
      return;
    } finally {
      await heartbeat.stop();
    }
    // Like Lambda: no response (or no list) means all succeeded; an identifier that is not in
    // the batch makes the whole batch fail.
    const failed = new Set((response?.batchItemFailures ?? []).map((f) => f.itemIdentifier));
    const ids = new Set(messages.map((m) => m.messageId));
    if ([...failed].some((id) => !ids.has(id))) {
      logger.error(
        { queue: options.queue },
        "the handler reported an unknown itemIdentifier; the whole batch failed",
      );
      return;
    }
    const done = messages.filter((m) => !failed.has(m.messageId)).map((m) => m.receiptHandle);
    if (done.length === 0) return;
    await options.driver.delete(options.queue, done).catch((error: unknown) => {
      logger.error(
        { err: error, queue: options.queue },
        "could not delete finished messages; they will run again",
      );
    });
  };

  const lane = async () => {
    let failures = 0;
    while (!stopping.signal.aborted) {
      let messages: ReceivedMessage[];
      try {
        messages = await options.driver.receive(options.queue, {
          maxMessages: batchSize,
          waitTimeSeconds: options.waitTimeSeconds ?? 20,
          visibilityTimeoutSeconds: visibilityTimeout,
          signal: stopping.signal,
        });
        failures = 0;
      } catch (error) {
        if (stopping.signal.aborted) break;
        failures++;
        logger.error({ err: error, queue: options.queue }, "receive failed; retrying");
        await pause(Math.min(5_000, 100 * 2 ** failures), stopping.signal);
        continue;
      }
      if (messages.length > 0) await runBatch(messages);
    }
  };

  const stopped = Promise.all(Array.from({ length: concurrency }, lane)).then(() => {
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

function lambdaContext(timeoutMs: number, settle: (messageId: string) => Promise<void>): Context {
  const end = Date.now() + timeoutMs;
  const awsRequestId = randomUUID();
  return {
    callbackWaitsForEmptyEventLoop: true,
    functionName: "glasswork-poller",
    functionVersion: "$LATEST",
    invokedFunctionArn: "arn:aws:lambda:local:000000000000:function:glasswork-poller",
    memoryLimitInMB: "0",
    awsRequestId,
    logGroupName: "glasswork-poller",
    logStreamName: awsRequestId,
    getRemainingTimeInMillis: () => Math.max(0, end - Date.now()),
    done: () => {},
    fail: () => {},
    succeed: () => {},
    [SETTLE]: settle,
  } as Context;
}

function pause(ms: number, signal: AbortSignal): Promise<void> {
  return new Promise((resolve) => {
    const done = () => {
      clearTimeout(timer);
      signal.removeEventListener("abort", done);
      resolve();
    };
    const timer = setTimeout(done, ms);
    signal.addEventListener("abort", done, { once: true });
  });
}
