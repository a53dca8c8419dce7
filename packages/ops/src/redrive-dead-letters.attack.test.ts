import { defineJob, JobService, PermanentJobError, silentLogger } from "@glasswork/core";
import { ManualClock, MockQueueDriver } from "@glasswork/driver-mock";
import { SQSQueueDriver } from "@glasswork/driver-sqs";
import { bootstrapWorker, messageToRecord } from "@glasswork/worker";
import { describe, expect, it } from "vitest";
import { FAUXQS_REGION } from "../../driver-sqs/src/test-fauxqs.js";
import { listDeadLetters } from "./list-dead-letters.js";
import { redriveDeadLetters } from "./redrive-dead-letters.js";
import { deadLetterNext } from "./test-dead-letters.js";
import { useFauxqsTestServer } from "./test-fauxqs.js";

// Review attacks on the bounded redrive (issue 13 item 1): problems they proved, fixed since.

const sqs = useFauxqsTestServer();

const context = {
  getRemainingTimeInMillis: () => 900_000,
  awsRequestId: "r",
} as unknown as Parameters<ReturnType<typeof bootstrapWorker>>[1];

describe("a Lambda worker (records name the queue by its physical name from eventSourceARN), redrive by the logical name the driver is configured with", () => {
  // On Lambda the worker reads the queue from the record's eventSourceARN, so the dead letter's
  // source-queue attribute is the physical name ("myapp-prod-JobsQueue-1A2B3C"). The operator
  // (CLI, dashboard, example route) redrives "default", the logical name of the same queue in
  // the same driver: every dead letter is skipped as another queue's, and nothing moves.
  it("moves the queue's own dead letters back", async () => {
    const dlq = await sqs.createQueue("myapp-prod-JobsDlq");
    const queue = await sqs.createQueue("myapp-prod-JobsQueue", {
      RedrivePolicy: JSON.stringify({ deadLetterTargetArn: dlq.arn, maxReceiveCount: 5 }),
    });
    const driver = new SQSQueueDriver({ ...sqs.clientConfig, queues: { default: queue.url } });
    const job = defineJob<{ n: number }>({
      name: "fails-for-good",
      handler: () => {
        throw new PermanentJobError("not yet fixed");
      },
    });
    await new JobService(driver, { logger: silentLogger }).enqueue(job, { n: 1 });
    const handler = bootstrapWorker({ jobs: [job], driver, logger: silentLogger });
    const received = await driver.receive("default", { maxMessages: 10, waitTimeSeconds: 1 });
    expect(received).toHaveLength(1);
    const response = await handler(
      {
        Records: received.map((m) =>
          messageToRecord(m, { eventSourceARN: queue.arn, awsRegion: FAUXQS_REGION }),
        ),
      },
      context,
    );
    expect(response.batchItemFailures).toEqual([]);
    expect((await sqs.depth(dlq)).visible).toBe(1);

    const result = await redriveDeadLetters(driver, "default");
    expect(result.skipped.otherQueue).toBe(0);
    expect(result.moved).toBe(1);
  });
});

describe("two dead letters of one job id (unique.key: a nightly sync per account that failed on two nights) in different receives, no worker running", () => {
  // The redrive recognises its own redriven copies coming back by job id. A second dead letter
  // of the same job id that was already in the dead-letter queue at the start is taken for one
  // and left behind (skipped as "arrived after start"): the operator's redrive misses it.
  it("moves both: each was in the dead-letter queue when the redrive started", async () => {
    const clock = new ManualClock();
    const driver = new MockQueueDriver({ clock });
    const sync = defineJob<{ account: string }>({
      name: "nightly-sync",
      unique: { key: (p) => `sync-${p.account}` },
      handler: () => {},
    });
    const jobs = new JobService(driver, { logger: silentLogger });
    for (const night of [1, 2]) {
      // Ten other accounts failed that night too: the two acme letters come in different receives.
      for (const account of ["acme", ...Array.from({ length: 10 }, (_, i) => `a${night}-${i}`)]) {
        await jobs.enqueue(sync, { account });
        await deadLetterNext(driver, "default", {
          reason: "retry-exhausted",
          error: `night ${night}: upstream down`,
          attempt: 25,
        });
      }
      clock.advance("1d");
    }

    const result = await redriveDeadLetters(driver, "default", { waitTimeSeconds: 0 });
    expect(result.depthAtStart).toBe(22);
    expect(result.skipped.arrivedAfterStart).toBe(0);
    expect(result.moved).toBe(22);
  });
});

describe("a FIFO dead-letter queue, one message group with 10 dead letters of another job ahead of the one asked for (redrive --job-name)", () => {
  // The walk holds what it skips (filtered, another queue's) for the whole redrive. In a FIFO
  // queue a held message locks its group: SQS returns nothing more of the group, the next
  // receive is empty, and the walk ends before it reaches the letter it was asked to move.
  // SQS serves a FIFO group only in order, so no walk can reach it without removing the ten
  // ahead of it: the redrive must say it is incomplete (it said "done, 0 moved").
  it("says the redrive is incomplete instead of reporting nothing to move", async () => {
    const clock = new ManualClock();
    const driver = new MockQueueDriver({ clock });
    const charge = defineJob<{ n: number }>({
      name: "charge-card",
      queue: "orders.fifo",
      group: () => "tenant-1",
      handler: () => {},
    });
    const notify = defineJob<{ n: number }>({
      name: "send-receipt",
      queue: "orders.fifo",
      group: () => "tenant-1",
      handler: () => {},
    });
    const jobs = new JobService(driver, { logger: silentLogger });
    for (let n = 0; n < 10; n++) await jobs.enqueue(charge, { n });
    await jobs.enqueue(notify, { n: 10 });
    for (let n = 0; n <= 10; n++)
      await deadLetterNext(driver, "orders.fifo", { reason: "permanent", error: "declined" });

    const result = await redriveDeadLetters(driver, "orders.fifo", {
      jobName: "send-receipt",
      waitTimeSeconds: 0,
    });
    expect(result.skipped.filtered).toBe(10);
    expect(result.moved).toBe(0);
    expect(result.complete).toBe(false);
  });
});

describe("listDeadLetters on a FIFO dead-letter queue with 15 dead letters in one message group", () => {
  // Same cause: the walk holds the first receive's letters, which locks their group; the next
  // receive is empty and the listing ends with 10 of 15 — and said it was not truncated. Seeing
  // the other 5 needs the first 10 removed, so the listing must say it is truncated.
  it("says the listing of a FIFO group is truncated when it cannot see past the first 10", async () => {
    const driver = new MockQueueDriver({ clock: new ManualClock() });
    const charge = defineJob<{ n: number }>({
      name: "charge-card",
      queue: "orders.fifo",
      group: () => "tenant-1",
      handler: () => {},
    });
    const jobs = new JobService(driver, { logger: silentLogger });
    for (let n = 0; n < 15; n++) {
      await jobs.enqueue(charge, { n });
      await deadLetterNext(driver, "orders.fifo", { reason: "permanent", error: "declined" });
    }
    const listing = await listDeadLetters(driver, "orders.fifo", { waitTimeSeconds: 0 });
    expect({ listed: listing.letters.length, truncated: listing.truncated }).toEqual({
      listed: 10,
      truncated: true,
    });
  });
});
