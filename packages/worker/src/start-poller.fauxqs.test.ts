import { ReceiveMessageCommand } from "@aws-sdk/client-sqs";
import type { JobExecution, JobOutcome } from "@glasswork/core";
import {
  DEAD_LETTER_ATTRIBUTES,
  defineJob,
  JobService,
  PermanentJobError,
  silentLogger,
} from "@glasswork/core";
import { SQSQueueDriver } from "@glasswork/driver-sqs";
import * as v from "valibot";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
// The SQS driver's own test server helper: fauxqs in this process, on 127.0.0.1.
import {
  type FauxqsTestServer,
  startFauxqsTestServer,
  type TestQueueSet,
} from "../../driver-sqs/src/test-fauxqs.js";
import { bootstrapWorker } from "./bootstrap-worker.js";
import { startPoller } from "./start-poller.js";
import { recordingLogger } from "./test-harness.js";

let sqs: FauxqsTestServer;
let queues: TestQueueSet;
beforeAll(async () => {
  sqs = await startFauxqsTestServer();
  queues = await sqs.createQueueSet("poller");
});
afterAll(async () => {
  await sqs.stop();
});

const attempts = new Map<string, number[]>();
const record = (key: string, attempt: number): void => {
  attempts.set(key, [...(attempts.get(key) ?? []), attempt]);
};

const greet = defineJob({
  name: "greet",
  schema: v.object({ name: v.string() }),
  handler: ({ name }, ctx) => record(name, ctx.attempt),
});
const flaky = defineJob<{ key: string }>({
  name: "flaky",
  retry: { maxAttempts: 5, backoff: { base: 1, max: 1, jitter: "none" } },
  handler: ({ key }, ctx) => {
    record(key, ctx.attempt);
    if (ctx.attempt < 3) throw new Error(`not yet (attempt ${ctx.attempt})`);
  },
});
const doomed = defineJob<{ key: string }>({
  name: "doomed",
  handler: ({ key }, ctx) => {
    record(key, ctx.attempt);
    throw new PermanentJobError("the order is gone");
  },
});

describe("startPoller on a real SQS protocol server (fauxqs)", () => {
  it("completes jobs, retries with backoff through visibility, and dead-letters into the real DLQ", async () => {
    const driver = new SQSQueueDriver({
      ...sqs.clientConfig,
      queues: { default: queues.queue.url },
    });
    const jobs = new JobService(driver);
    const outcomes: [string, JobOutcome["status"]][] = [];
    const handler = bootstrapWorker({
      jobs: [greet, flaky, doomed],
      driver,
      logger: silentLogger,
      hooks: [
        {
          aroundJob: async (execution: JobExecution, run) => {
            const outcome = await run();
            outcomes.push([execution.jobName, outcome.status]);
          },
        },
      ],
    });
    await jobs.enqueueBatch([
      ...["ada", "bob", "cy"].map((name) => ({ job: greet, payload: { name } })),
      { job: flaky, payload: { key: "flaky-1" } },
      { job: doomed, payload: { key: "doomed-1" } },
    ]);

    const poller = startPoller({
      handler,
      driver,
      queue: "default",
      waitTimeSeconds: 1,
      visibilityTimeout: 5,
      stopOnSignals: [],
      logger: silentLogger,
    });
    try {
      const deadline = Date.now() + 20_000;
      while (attempts.get("flaky-1")?.length !== 3 && Date.now() < deadline) {
        await new Promise((resolve) => setTimeout(resolve, 100));
      }
      // Let the last batch's deletions land.
      while (
        (await driver.stats("default")).inFlight + (await driver.stats("default")).visible > 0 &&
        Date.now() < deadline
      ) {
        await new Promise((resolve) => setTimeout(resolve, 100));
      }
    } finally {
      await poller.stop();
    }

    expect(Object.fromEntries(attempts)).toEqual({
      ada: [1],
      bob: [1],
      cy: [1],
      "flaky-1": [1, 2, 3], // receive counts 2 and 3: redelivered by SQS after the backoff
      "doomed-1": [1],
    });
    expect(outcomes.filter(([name]) => name === "flaky").map(([, status]) => status)).toEqual([
      "retry",
      "retry",
      "completed",
    ]);
    expect(await sqs.depth(queues.queue)).toEqual({ visible: 0, inFlight: 0, delayed: 0 });

    const dead = await sqs.client.send(
      new ReceiveMessageCommand({
        QueueUrl: queues.deadLetter.url,
        MaxNumberOfMessages: 10,
        MessageAttributeNames: ["All"],
      }),
    );
    expect(dead.Messages).toHaveLength(1);
    const [message] = dead.Messages ?? [];
    expect(JSON.parse(message?.Body ?? "{}")).toMatchObject({
      name: "doomed",
      payload: { key: "doomed-1" },
    });
    const attribute = (name: string) => message?.MessageAttributes?.[name]?.StringValue;
    expect(attribute(DEAD_LETTER_ATTRIBUTES.reason)).toBe("permanent");
    expect(attribute(DEAD_LETTER_ATTRIBUTES.error)).toBe("PermanentJobError: the order is gone");
    expect(attribute(DEAD_LETTER_ATTRIBUTES.attempt)).toBe("1");
    expect(attribute(DEAD_LETTER_ATTRIBUTES.sourceQueue)).toBe("default");
    await driver.dispose();
  }, 30_000);

  // Issue 12 item 1 end to end: the poller imitating Lambda's default 3 s timeout.
  it("runs every job with a 3 s function timeout (Lambda's default), warning once about the margin", async () => {
    const set = await sqs.createQueueSet("poller-3s");
    const driver = new SQSQueueDriver({ ...sqs.clientConfig, queues: { default: set.queue.url } });
    const ran = new Set<number>();
    const quick = defineJob<{ n: number }>({
      name: "quick",
      handler: ({ n }) => {
        ran.add(n);
      },
    });
    const log = recordingLogger();
    await new JobService(driver).enqueueBatch(
      Array.from({ length: 30 }, (_, n) => ({ job: quick, payload: { n } })),
    );
    const poller = startPoller({
      handler: bootstrapWorker({ jobs: [quick], driver, logger: log.logger }),
      driver,
      queue: "default",
      waitTimeSeconds: 1,
      functionTimeoutSeconds: 3,
      stopOnSignals: [],
      logger: silentLogger,
    });
    try {
      const until = Date.now() + 15_000;
      while (ran.size < 30 && Date.now() < until) await new Promise((r) => setTimeout(r, 50));
    } finally {
      await poller.stop();
    }
    expect(ran.size).toBe(30);
    expect(log.find("warn", /too little for deadlineMarginMs/)).toHaveLength(1);
    expect(await sqs.depth(set.queue)).toEqual({ visible: 0, inFlight: 0, delayed: 0 });
    expect(await sqs.depth(set.deadLetter)).toEqual({ visible: 0, inFlight: 0, delayed: 0 });
    await driver.dispose();
  }, 30_000);
});
