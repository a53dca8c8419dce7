import { runQueueDriverContract } from "@glasswork/core/testing";
import { ManualClock } from "./clock.js";
import { MockQueueDriver } from "./mock-queue-driver.js";

runQueueDriverContract({
  name: "MockQueueDriver",
  setup: async () => {
    const clock = new ManualClock();
    return {
      driver: new MockQueueDriver({
        clock,
        deadLetterQueues: { lonely: null },
        maxReceiveCount: { jobs: 3 },
      }),
      queue: "jobs",
      deadLetterQueue: "jobs-dlq",
      queueWithoutDeadLetter: "lonely",
      fifoQueue: "ordered.fifo",
      maxReceiveCount: 3,
      advance: async (seconds) => clock.advance(seconds),
    };
  },
});
