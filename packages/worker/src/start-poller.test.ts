import {
  type AnyJobDefinition,
  defineJob,
  JobService,
  type ReceivedMessage,
  TransientJobError,
} from "@glasswork/core";
import { MockQueueDriver } from "@glasswork/driver-mock";
import type { Context, SQSEvent } from "aws-lambda";
import { afterEach, describe, expect, it, vi } from "vitest";
import { bootstrapWorker } from "./bootstrap-worker.js";
import { type Poller, type PollerOptions, startPoller } from "./start-poller.js";
import { latch, must, recordingLogger, sleep, startTestPoller } from "./test-harness.js";

// The poller runs on the real clock: the mock driver's visibility timeouts are real seconds.

const running: Poller[] = [];

afterEach(async () => {
  await Promise.all(running.splice(0).map((p) => p.stop()));
});

function setup(jobs: AnyJobDefinition[], poller: Partial<PollerOptions> = {}) {
  const driver = new MockQueueDriver();
  const service = new JobService(driver);
  const log = recordingLogger();
  const worker = bootstrapWorker({ jobs, driver, logger: log.logger, random: () => 0.5 });
  const events: SQSEvent[] = [];
  const contexts: Context[] = [];
  const visibility = vi.spyOn(driver, "changeVisibility");
  const start = () =>
    startTestPoller(running, {
      handler: async (event, context) => {
        events.push(event);
        contexts.push(context);
        return worker(event, context);
      },
      driver,
      logger: log.logger,
      ...poller,
    });
  /** The visibility timeouts set on one received message, in order. */
  const visibilityOf = (message: ReceivedMessage) =>
    visibility.mock.calls.filter(([, handle]) => handle === message.receiptHandle).map((c) => c[2]);
  return { driver, service, log, events, contexts, start, visibilityOf };
}

/** The one message a batch received, by its job payload's `n`. */
function receivedWith(events: readonly SQSEvent[], n: number): ReceivedMessage {
  for (const event of events) {
    for (const r of event.Records) {
      if ((JSON.parse(r.body) as { payload: { n: number } }).payload.n === n) {
        return {
          queue: "default",
          messageId: r.messageId,
          receiptHandle: r.receiptHandle,
          body: r.body,
          attributes: {},
          receiveCount: Number(r.attributes.ApproximateReceiveCount),
          sentTimestamp: 0,
          firstReceiveTimestamp: 0,
        };
      }
    }
  }
  throw new Error(`no record with n = ${n}`);
}

describe("startPoller", () => {
  it("runs enqueued jobs end to end through Lambda-shaped events and deletes them", async () => {
    const done: number[] = [];
    const job = defineJob<{ n: number }>({
      name: "count",
      handler: ({ n }) => {
        done.push(n);
      },
    });
    const s = setup([job], { region: "eu-west-1", accountId: "111122223333" });
    for (const n of [1, 2, 3]) await s.service.enqueue(job, { n });

    const poller = s.start();
    await vi.waitFor(() => expect(s.driver.messages("default")).toEqual([]), { timeout: 5_000 });
    await poller.stop();

    expect(done.sort()).toEqual([1, 2, 3]);
    expect(s.driver.deadLetters).toEqual([]);
    const [event] = s.events;
    expect(must(event).Records).toHaveLength(3);
    for (const record of must(event).Records) {
      expect(record).toMatchObject({
        eventSource: "aws:sqs",
        eventSourceARN: "arn:aws:sqs:eu-west-1:111122223333:default",
        awsRegion: "eu-west-1",
        messageAttributes: { "glasswork.job": expect.objectContaining({ stringValue: "count" }) },
        attributes: expect.objectContaining({ ApproximateReceiveCount: "1" }),
      });
    }
    const context = must(s.contexts[0]);
    expect(context.functionName).toBe("glasswork-poller");
    expect(context.awsRequestId).toMatch(/^[0-9a-f-]{36}$/);
    expect(context.getRemainingTimeInMillis()).toBeGreaterThan(0);
  });

  it("leaves failed jobs in the queue with their backoff", async () => {
    const attempts: number[] = [];
    const job = defineJob<{ n: number }>({
      name: "flaky",
      retry: { maxAttempts: 5, backoff: { base: 60 } },
      handler: (_, ctx) => {
        attempts.push(ctx.attempt);
        throw new Error("down");
      },
    });
    const s = setup([job]);
    await s.service.enqueue(job, { n: 1 });

    const poller = s.start();
    await vi.waitFor(() => expect(s.log.find("warn", /will retry/)).toHaveLength(1), {
      timeout: 5_000,
    });
    await poller.stop();

    expect(attempts).toEqual([1]);
    const [message] = s.driver.messages("default");
    expect(message?.receiveCount).toBe(1);
    expect(await s.driver.stats("default")).toEqual({ visible: 0, inFlight: 1, delayed: 0 });
    // 60 s × 2^0 × 0.5 = 30 s.
    expect(s.visibilityOf(receivedWith(s.events, 1))).toEqual([30]);
    expect(s.driver.calls.delete).toBe(0);
  });

  it("keeps a job longer than the visibility timeout invisible, so it runs once", async () => {
    const runs: number[] = [];
    const job = defineJob<{ n: number }>({
      name: "long",
      handler: async ({ n }) => {
        runs.push(n);
        await sleep(2_500);
      },
    });
    // Two lanes: while one runs the job, the other keeps receiving.
    const s = setup([job], { visibilityTimeout: 1, concurrency: 2 });
    await s.service.enqueue(job, { n: 1 });

    const poller = s.start();
    await vi.waitFor(() => expect(s.driver.messages("default")).toEqual([]), { timeout: 10_000 });
    await poller.stop();

    expect(runs).toEqual([1]);
    const extensions = s.visibilityOf(receivedWith(s.events, 1));
    expect(extensions.length).toBeGreaterThan(0);
    expect(new Set(extensions)).toEqual(new Set([1]));
  });

  it("never overwrites a retry delay the worker set while the batch still runs", async () => {
    const job = defineJob<{ n: number }>({
      name: "mixed",
      handler: async ({ n }) => {
        if (n === 1) throw new TransientJobError("rate limited", { retryAfter: 30 });
        await sleep(1_600);
      },
    });
    const s = setup([job], { visibilityTimeout: 1, concurrency: 2 });
    await s.service.enqueue(job, { n: 1 });
    await s.service.enqueue(job, { n: 2 });

    const poller = s.start();
    await vi.waitFor(() => expect(s.driver.calls.delete).toBe(1), { timeout: 10_000 });
    await poller.stop();

    expect(s.events).toHaveLength(1);
    const failed = receivedWith(s.events, 1);
    // The heartbeat ran (record 2 was extended) but left record 1 alone once it was settled.
    expect(s.visibilityOf(receivedWith(s.events, 2)).length).toBeGreaterThan(0);
    expect(s.visibilityOf(failed)).toEqual([30]);
    expect(s.driver.messages("default").map((m) => [m.messageId, m.receiveCount])).toEqual([
      [failed.messageId, 1],
    ]);
    expect(await s.driver.stats("default")).toEqual({ visible: 0, inFlight: 1, delayed: 0 });
  });

  it("finishes the batch in flight on stop(), then receives no more", async () => {
    const started = latch();
    const release = latch();
    const done: number[] = [];
    const job = defineJob<{ n: number }>({
      name: "held",
      handler: async ({ n }) => {
        started.resolve();
        await release.promise;
        done.push(n);
      },
    });
    const s = setup([job]);
    await s.service.enqueue(job, { n: 1 });
    const poller = s.start();
    await started.promise;

    const stopping = poller.stop();
    const receives = s.driver.calls.receive;
    await s.service.enqueue(job, { n: 2 });
    release.resolve();
    await stopping;
    await poller.stopped;

    expect(done).toEqual([1]);
    expect(s.driver.calls.receive).toBe(receives);
    expect(s.driver.messages("default").map((m) => m.receiveCount)).toEqual([0]);
    expect(s.events).toHaveLength(1);
  });

  it("stops when its signal is aborted", async () => {
    const done: number[] = [];
    const job = defineJob<{ n: number }>({
      name: "count",
      handler: ({ n }) => {
        done.push(n);
      },
    });
    const controller = new AbortController();
    const s = setup([job], { signal: controller.signal });
    await s.service.enqueue(job, { n: 1 });
    const poller = s.start();
    await vi.waitFor(() => expect(done).toEqual([1]), { timeout: 5_000 });

    controller.abort();
    await poller.stopped;
    const receives = s.driver.calls.receive;
    await s.service.enqueue(job, { n: 2 });
    await sleep(100);
    expect(done).toEqual([1]);
    expect(s.driver.calls.receive).toBe(receives);
  });

  it("does not start when its signal is already aborted", async () => {
    const s = setup([], { signal: AbortSignal.abort() });
    await s.start().stopped;
    expect(s.driver.calls.receive).toBe(0);
  });

  it("stops on SIGTERM by default and removes its listener", async () => {
    // Only the poller's listener may see this SIGTERM: park any other one meanwhile.
    const others = process.listeners("SIGTERM");
    process.removeAllListeners("SIGTERM");
    try {
      const driver = new MockQueueDriver();
      const poller = startPoller({
        handler: async () => ({ batchItemFailures: [] }),
        driver,
        queue: "default",
        // stop() waits for the long poll in flight: a short one keeps the test short.
        waitTimeSeconds: 2,
        logger: recordingLogger().logger,
      });
      running.push(poller);
      expect(process.listenerCount("SIGTERM")).toBe(1);
      await vi.waitFor(() => expect(driver.calls.receive).toBe(1));

      process.emit("SIGTERM");
      await poller.stopped;

      expect(process.listenerCount("SIGTERM")).toBe(0);
      expect(driver.calls.receive).toBe(1);
    } finally {
      for (const listener of others) process.on("SIGTERM", listener);
    }
  });

  it("leaves the whole batch undeleted when the handler throws", async () => {
    const driver = new MockQueueDriver();
    const service = new JobService(driver);
    const job = defineJob<{ n: number }>({ name: "count", handler: () => {} });
    await service.enqueue(job, { n: 1 });
    await service.enqueue(job, { n: 2 });
    const log = recordingLogger();
    const handler = vi.fn(async (): Promise<undefined> => {
      throw new Error("init failed");
    });
    const poller = startTestPoller(running, { handler, driver, logger: log.logger });
    await vi.waitFor(() => expect(handler).toHaveBeenCalledTimes(1), { timeout: 5_000 });
    await poller.stop();

    expect(driver.calls.delete).toBe(0);
    expect(driver.messages("default").map((m) => m.receiveCount)).toEqual([1, 1]);
    expect(log.find("error", /^the handler failed the whole batch$/)).toEqual([
      expect.objectContaining({ fields: { err: new Error("init failed"), queue: "default" } }),
    ]);
  });

  it.each([
    ["no response", undefined, 2],
    ["a response without batchItemFailures", {}, 2],
    ["an unknown itemIdentifier", { batchItemFailures: [{ itemIdentifier: "not-in-batch" }] }, 0],
  ])("treats %s as Lambda does", async (_, response, deleted) => {
    const driver = new MockQueueDriver();
    const service = new JobService(driver);
    const job = defineJob<{ n: number }>({ name: "count", handler: () => {} });
    await service.enqueueBatch([1, 2].map((n) => ({ job, payload: { n } })));
    const handler = vi.fn(async () => response as never);
    const poller = startTestPoller(running, { handler, driver });
    await vi.waitFor(() => expect(handler).toHaveBeenCalledTimes(1), { timeout: 5_000 });
    await poller.stop();
    expect(2 - driver.messages("default").length).toBe(deleted);
  });

  it("refuses a concurrency that is not a positive integer", () => {
    const driver = new MockQueueDriver();
    expect(() =>
      startPoller({
        handler: async () => undefined,
        driver,
        queue: "q",
        concurrency: 0,
        stopOnSignals: [],
      }),
    ).toThrow(RangeError);
  });

  it("retries a failed receive and goes on", async () => {
    const done: number[] = [];
    const job = defineJob<{ n: number }>({
      name: "count",
      handler: ({ n }) => {
        done.push(n);
      },
    });
    const s = setup([job]);
    s.driver.failNext("receive", { times: 2 });
    await s.service.enqueue(job, { n: 1 });
    const poller = s.start();
    await vi.waitFor(() => expect(done).toEqual([1]), { timeout: 5_000 });
    await poller.stop();
    expect(s.log.find("error", /^receive failed; retrying$/)).toHaveLength(2);
  });

  it("rejects a batch size outside 1..10", () => {
    const driver = new MockQueueDriver();
    const handler = async () => ({ batchItemFailures: [] });
    for (const batchSize of [0, 11, 2.5]) {
      expect(() =>
        startPoller({ handler, driver, queue: "default", batchSize, stopOnSignals: [] }),
      ).toThrow(new RangeError(`batchSize must be 1..10, got ${batchSize}`));
    }
  });
});
