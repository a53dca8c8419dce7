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
      advance: (seconds) => new Promise((resolve) => setTimeout(resolve, seconds * 1000)),
    };
  },
});
