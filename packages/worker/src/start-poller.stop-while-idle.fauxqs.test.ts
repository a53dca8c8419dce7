import { ReceiveMessageCommand } from "@aws-sdk/client-sqs";
import { defineJob, JobService, type QueueDriver, silentLogger } from "@glasswork/core";
import { SQSQueueDriver } from "@glasswork/driver-sqs";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { type FauxqsTestServer, startFauxqsTestServer } from "../../driver-sqs/src/test-fauxqs.js";
import { bootstrapWorker } from "./bootstrap-worker.js";
import { startPoller } from "./start-poller.js";
import { latch } from "./test-harness.js";

// Issue 12 item 5: an idle poller (long poll in flight) is stopped — a deploy, a scale-in —
// and a message arrives in that moment. Aborting the long poll let SQS hand the message to a
// request nobody read: it stayed hidden for the whole visibility timeout (30 s here).
// SQS does not learn that a client gave up on a long poll: the poll goes on and takes the next
// message. fauxqs 1.9.2 drops the poll when the client goes away, so the driver below keeps
// SQS's behaviour: an aborted receive goes on to the server; the caller just gets nothing.

let sqs: FauxqsTestServer;
beforeAll(async () => {
  sqs = await startFauxqsTestServer();
});
afterAll(async () => {
  await sqs.stop();
});

/** The driver as SQS behaves (see above), with a latch that opens when a receive starts. */
function watched(driver: SQSQueueDriver) {
  const receiving = latch();
  const wrapped: QueueDriver = {
    maxDelaySeconds: driver.maxDelaySeconds,
    maxMessageBytes: driver.maxMessageBytes,
    send: (messages) => driver.send(messages),
    receive: (queue, options = {}) => {
      receiving.resolve();
      const { signal, ...onServer } = options;
      const polling = driver.receive(queue, onServer);
      if (!signal) return polling;
      return new Promise((resolve, reject) => {
        signal.addEventListener("abort", () => resolve([]), { once: true });
        polling.then(resolve, reject);
      });
    },
    delete: (queue, handles) => driver.delete(queue, handles),
    changeVisibility: (queue, handle, seconds) => driver.changeVisibility(queue, handle, seconds),
    moveToDeadLetter: (message, details) => driver.moveToDeadLetter(message, details),
    queueInfo: (queue) => driver.queueInfo(queue),
    stats: (queue) => driver.stats(queue),
    dispose: () => driver.dispose(),
  };
  return { wrapped, receiving: receiving.promise };
}

describe("stopping an idle poller while a message arrives (long poll in flight, visibility 30 s)", () => {
  it("leaves the message visible at once for the next consumer, not hidden for 30 s", async () => {
    const queue = await sqs.createQueue("stop-idle", { VisibilityTimeout: "30" });
    const ran: number[] = [];
    const job = defineJob<{ n: number }>({ name: "count", handler: ({ n }) => void ran.push(n) });
    const driver = new SQSQueueDriver({ ...sqs.clientConfig, queues: { default: queue.url } });
    const { wrapped, receiving } = watched(driver);
    const poller = startPoller({
      handler: bootstrapWorker({ jobs: [job], driver, logger: silentLogger }),
      driver: wrapped,
      queue: "default",
      waitTimeSeconds: 5,
      visibilityTimeout: 30,
      stopOnSignals: [],
      logger: silentLogger,
    });
    await receiving;

    const stopped = poller.stop();
    await new JobService(driver).enqueue(job, { n: 1 });
    await stopped;

    expect(ran).toEqual([]);
    const next = await sqs.client.send(
      new ReceiveMessageCommand({
        QueueUrl: queue.url,
        WaitTimeSeconds: 0,
        MessageSystemAttributeNames: ["ApproximateReceiveCount"],
      }),
    );
    expect(next.Messages).toHaveLength(1);
    // The stopping poller's receive took it, and the poller gave it back.
    expect(next.Messages?.[0]?.Attributes?.ApproximateReceiveCount).toBe("2");
    await driver.dispose();
  }, 20_000);
});
