import { runQueueDriverContract } from "@glasswork/core/testing";
import { afterAll, beforeAll } from "vitest";
import { SQSQueueDriver } from "./sqs-queue-driver.js";
import { type FauxqsTestServer, startFauxqsTestServer } from "./test-fauxqs.js";

let sqs: FauxqsTestServer;
beforeAll(async () => {
  sqs = await startFauxqsTestServer();
});
afterAll(async () => {
  await sqs.stop();
});

// Logical names through the queues option. The dead-letter queue is left out of it, so the
// driver discovers it from the RedrivePolicy and then finds it by its physical name.
const sleep = (seconds: number) =>
  new Promise<void>((resolve) => setTimeout(resolve, seconds * 1000));

runQueueDriverContract({
  name: "SQSQueueDriver with logical names, on fauxqs",
  async setup() {
    const { queue, deadLetter, plain, fifo } = await sqs.createQueueSet("contract");
    const driver = new SQSQueueDriver({
      ...sqs.clientConfig,
      queues: { jobs: queue.url, plain: plain.url, "ordered.fifo": fifo.url },
    });
    return {
      driver,
      queue: "jobs",
      deadLetterQueue: deadLetter.name,
      queueWithoutDeadLetter: "plain",
      fifoQueue: "ordered.fifo",
      maxReceiveCount: 5,
      advance: sleep,
    };
  },
});

// Physical names and no queues option, as the worker passes names taken from a Lambda
// record's eventSourceARN: every queue is found with GetQueueUrl.
runQueueDriverContract({
  name: "SQSQueueDriver with physical names, on fauxqs",
  async setup() {
    const { queue, deadLetter, plain, fifo } = await sqs.createQueueSet("physical");
    return {
      driver: new SQSQueueDriver(sqs.clientConfig),
      queue: queue.name,
      deadLetterQueue: deadLetter.name,
      queueWithoutDeadLetter: plain.name,
      fifoQueue: fifo.name,
      maxReceiveCount: 5,
      advance: sleep,
    };
  },
});
