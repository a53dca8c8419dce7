import { defineJob } from "@glasswork/core";
import { describe, expect, it } from "vitest";
import { bootstrapWorker } from "./bootstrap-worker.js";
import { lambdaContext, setupWorker, sqsEvent } from "./test-harness.js";

// Issue 12 item 8: on a FIFO queue, every time a group's first message fails its siblings in
// the batch are released without running, and SQS counts each of those receives. A sibling that
// then failed once went to the dead-letter queue as "failed 3 times" although it ran once.
// Rule: a release is not an attempt; the worker instance remembers the releases it made
// (SQS cannot carry anything on a release) and counts attempts as receives minus those.

/** Order A: step 1 fails its first two runs, step 2 its first run. */
function orderJob() {
  const runs: { step: number; attempt: number }[] = [];
  const ship = defineJob<{ step: number }>({
    name: "ship",
    queue: "orders.fifo",
    group: () => "order-A",
    retry: { maxAttempts: 3, backoff: { base: 1, max: 1, jitter: "none" } },
    handler: ({ step }, ctx) => {
      runs.push({ step, attempt: ctx.attempt });
      const failuresWanted = step === 1 ? 2 : 1;
      if (runs.filter((r) => r.step === step).length <= failuresWanted) {
        throw new Error(`carrier timeout (step ${step})`);
      }
    },
  });
  return { ship, runs };
}

describe("a FIFO group whose first message fails twice (maxAttempts 3), with a sibling that fails once", () => {
  it("gives the sibling its own attempts: it runs on attempts 1 and 2 and completes", async () => {
    const { ship, runs } = orderJob();
    const w = setupWorker({ jobs: [ship] });
    await w.jobs.enqueue(ship, { step: 1 });
    await w.jobs.enqueue(ship, { step: 2 });

    const receiveCounts: number[] = [];
    for (let i = 0; i < 8 && (await w.driver.stats("orders.fifo")).visible > 0; i++) {
      const { received } = await w.invoke("orders.fifo");
      receiveCounts.push(
        ...received.filter((m) => m.body.includes('"step":2')).map((m) => m.receiveCount),
      );
      w.clock.advance(1);
    }

    expect(runs.filter((r) => r.step === 1).map((r) => r.attempt)).toEqual([1, 2, 3]);
    expect(runs.filter((r) => r.step === 2).map((r) => r.attempt)).toEqual([1, 2]);
    // SQS received the sibling 4 times: twice held back behind step 1, then its two runs.
    expect(receiveCounts).toEqual([1, 2, 3, 4]);
    expect(w.driver.deadLetters).toEqual([]);
    expect(await w.driver.stats("orders.fifo")).toEqual({ visible: 0, inFlight: 0, delayed: 0 });
  });

  it("when another worker instance made the releases, dead-letters with the truth: bounds, not a count", async () => {
    const { ship, runs } = orderJob();
    const w = setupWorker({ jobs: [ship] });
    await w.jobs.enqueue(ship, { step: 1 });
    await w.jobs.enqueue(ship, { step: 2 });

    // A new instance (a Lambda container) per invocation: none knows the others' releases.
    for (let i = 0; i < 8 && (await w.driver.stats("orders.fifo")).visible > 0; i++) {
      const instance = bootstrapWorker({
        jobs: [ship],
        driver: w.driver,
        logger: w.log.logger,
        random: () => 0.5,
        now: () => w.clock.now(),
      });
      const received = await w.driver.receive("orders.fifo", { maxMessages: 10 });
      const response = await instance(sqsEvent(received), lambdaContext());
      const failed = new Set(response.batchItemFailures.map((f) => f.itemIdentifier));
      const done = received.filter((m) => !failed.has(m.messageId)).map((m) => m.receiptHandle);
      if (done.length > 0) await w.driver.delete("orders.fifo", done);
      w.clock.advance(1);
    }

    // The sibling's first run came on receive 3, which this instance had to take as attempt 3.
    expect(runs.filter((r) => r.step === 2).map((r) => r.attempt)).toEqual([3]);
    expect(w.driver.deadLetters.map((d) => [d.reason, d.attempt, d.error])).toEqual([
      [
        "retry-exhausted",
        3,
        'RetryExhaustedError: Job "ship" failed at least 1 time and at most 3 times and has no attempts left: SQS counts every receive, and this worker instance cannot tell another instance\'s releases from attempts; caused by Error: carrier timeout (step 2)',
      ],
    ]);
  });
});

describe("a standard-queue job released unstarted at the deadline three times", () => {
  it("still runs as attempt 1, and its failure is retried, not dead-lettered (maxAttempts 2)", async () => {
    const attempts: number[] = [];
    const job = defineJob<{ n: number }>({
      name: "report",
      retry: { maxAttempts: 2, backoff: { base: 1, max: 1, jitter: "none" } },
      handler: (_, ctx) => {
        attempts.push(ctx.attempt);
        if (attempts.length === 1) throw new Error("first run fails");
      },
    });
    const w = setupWorker({ jobs: [job] });
    await w.jobs.enqueue(job, { n: 1 });
    for (let i = 0; i < 3; i++) await w.invoke("default", lambdaContext({ remainingMs: 0 }));
    const first = await w.invoke();
    expect(first.received[0]?.receiveCount).toBe(4);
    w.clock.advance(1);
    await w.invoke();
    expect(attempts).toEqual([1, 2]);
    expect(w.driver.deadLetters).toEqual([]);
  });
});
