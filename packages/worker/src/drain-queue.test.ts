import { defineJob, JobService, silentLogger } from "@glasswork/core";
import { ManualClock, MockQueueDriver } from "@glasswork/driver-mock";
import { describe, expect, it } from "vitest";
import { bootstrapWorker } from "./bootstrap-worker.js";
import { drainQueue } from "./drain-queue.js";

describe("drainQueue", () => {
  it("runs everything visible through the handler, leaving retries for after their backoff", async () => {
    const clock = new ManualClock();
    const driver = new MockQueueDriver({ clock });
    const jobs = new JobService(driver, { now: () => clock.now() });
    const seen: number[] = [];
    let failOnce = true;
    const count = defineJob<{ n: number }>({
      name: "count",
      handler: ({ n }) => {
        if (n === 7 && failOnce) {
          failOnce = false;
          throw new Error("flaky");
        }
        seen.push(n);
      },
    });
    const handler = bootstrapWorker({
      jobs: [count],
      driver,
      logger: silentLogger,
      random: () => 0.5,
      now: () => clock.now(),
    });
    await jobs.enqueueBatch(Array.from({ length: 25 }, (_, n) => ({ job: count, payload: { n } })));

    expect(await drainQueue({ handler, driver })).toEqual({ batches: 3, done: 24, failed: 1 });
    expect(seen).toHaveLength(24);
    expect(await drainQueue({ handler, driver })).toEqual({ batches: 0, done: 0, failed: 0 });

    clock.advance(1); // the backoff of the first retry
    expect(await drainQueue({ handler, driver })).toEqual({ batches: 1, done: 1, failed: 0 });
    expect(seen.sort((a, b) => a - b)).toEqual(Array.from({ length: 25 }, (_, n) => n));
    expect(await driver.stats("default")).toEqual({ visible: 0, inFlight: 0, delayed: 0 });
  });

  it("stops after maxBatches", async () => {
    const driver = new MockQueueDriver();
    const never = defineJob<{ n: number }>({ name: "never", handler: () => {} });
    await new JobService(driver).enqueueBatch(
      Array.from({ length: 30 }, (_, n) => ({ job: never, payload: { n } })),
    );
    const handler = bootstrapWorker({ jobs: [never], driver, logger: silentLogger });
    expect(await drainQueue({ handler, driver, maxBatches: 2 })).toEqual({
      batches: 2,
      done: 20,
      failed: 0,
    });
  });
});
