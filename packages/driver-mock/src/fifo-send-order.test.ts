import { defineJob, type EnqueueBatchError, JobService } from "@glasswork/core";
import { describe, expect, it } from "vitest";
import { MockQueueDriver } from "./mock-queue-driver.js";

const step = defineJob<{ account: string; seq: number }>({
  name: "apply-step",
  queue: "steps.fifo",
  unique: { key: (p) => `${p.account}-${p.seq}` },
  group: (p) => p.account,
  handler: () => {},
});

describe("enqueueBatch to a FIFO queue on the mock when one entry fails retryably", () => {
  it("reports an entry overtaken by later messages of its group, and never reorders the group", async () => {
    const driver = new MockQueueDriver();
    driver.failEntries((_, index) => index === 0);
    const error = await new JobService(driver)
      .enqueueBatch([0, 1, 2].map((seq) => ({ job: step, payload: { account: "a", seq } })))
      .catch((e: unknown) => e);

    expect((error as EnqueueBatchError).failed.map((r) => r.index)).toEqual([0]);
    expect((error as EnqueueBatchError).failed[0]?.error.message).toMatch(
      /not re-sent: later messages of FIFO group "a"/,
    );
    expect(driver.enqueuedJobs(step).map((r) => r.payload.seq)).toEqual([1, 2]);
  });

  it("re-sends a failed entry with nothing of its group behind it", async () => {
    const driver = new MockQueueDriver();
    driver.failEntries((_, index) => index === 2);
    await new JobService(driver).enqueueBatch(
      [0, 1, 2].map((seq) => ({ job: step, payload: { account: "a", seq } })),
    );
    expect(driver.enqueuedJobs(step).map((r) => r.payload.seq)).toEqual([0, 1, 2]);
  });

  it("still re-sends failed entries on a standard queue, where there is no order to keep", async () => {
    const driver = new MockQueueDriver();
    driver.failEntries((_, index) => index === 0);
    await new JobService(driver).enqueueBatch(
      [0, 1].map((seq) => ({
        job: step,
        payload: { account: "a", seq },
        options: { queue: "default" },
      })),
    );
    expect(driver.enqueuedJobs(step).map((r) => r.payload.seq)).toEqual([1, 0]);
  });
});
