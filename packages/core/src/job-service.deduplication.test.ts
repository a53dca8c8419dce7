import { describe, expect, it } from "vitest";
import { defineJob } from "./define-job.js";
import { JobService } from "./job-service.js";
import { FakeQueueDriver } from "./test-fake-driver.js";

// Issue 18 item 8: the FIFO deduplication id was the bare unique.key, so two jobs with one key on
// one FIFO queue were taken for copies and SQS dropped the second.

const key = { key: (p: { orderId: string }) => `order-${p.orderId}` };
const charge = defineJob<{ orderId: string }>({ name: "charge", unique: key, handler: () => {} });
const ship = defineJob<{ orderId: string }>({ name: "ship", unique: key, handler: () => {} });

describe("two jobs with the same unique.key on one FIFO queue", () => {
  it("get different deduplication ids, namespaced by job name, and keep the key as job id", async () => {
    const driver = new FakeQueueDriver();
    const jobs = new JobService(driver);
    const first = await jobs.enqueue(charge, { orderId: "42" }, { queue: "orders.fifo" });
    const second = await jobs.enqueue(ship, { orderId: "42" }, { queue: "orders.fifo" });

    expect([first.jobId, second.jobId]).toEqual(["order-42", "order-42"]);
    expect(driver.sent.map((m) => m.deduplicationId)).toEqual(["charge/order-42", "ship/order-42"]);
  });

  it("still share a deduplication id for two enqueues of the same job and key", async () => {
    const driver = new FakeQueueDriver();
    const jobs = new JobService(driver);
    await jobs.enqueue(charge, { orderId: "42" });
    await jobs.enqueue(charge, { orderId: "42" });
    const [a, b] = driver.sent.map((m) => m.deduplicationId);
    expect(a).toBe(b);
  });

  it("hash a namespaced id over SQS's 128 characters, stably and per job", async () => {
    const longName = `a${"x".repeat(100)}`;
    const one = defineJob<{ orderId: string }>({ name: longName, unique: key, handler: () => {} });
    const two = defineJob<{ orderId: string }>({
      name: `${longName}y`,
      unique: key,
      handler: () => {},
    });
    const driver = new FakeQueueDriver();
    const jobs = new JobService(driver);
    const id = "k".repeat(100);
    await jobs.enqueue(one, { orderId: "1" }, { id });
    await jobs.enqueue(one, { orderId: "1" }, { id });
    await jobs.enqueue(two, { orderId: "1" }, { id });

    const [a, b, c] = driver.sent.map((m) => m.deduplicationId ?? "");
    expect(a).toMatch(/^sha256:[0-9a-f]{64}$/);
    expect(a?.length).toBeLessThanOrEqual(128);
    expect(b).toBe(a);
    expect(c).not.toBe(a);
  });

  it('keep names with \':\' apart from ids with \':\' ("a:b" + "c" is not "a" + "b:c")', async () => {
    const ab = defineJob({ name: "a:b", handler: () => {} });
    const a = defineJob({ name: "a", handler: () => {} });
    const driver = new FakeQueueDriver();
    const jobs = new JobService(driver);
    await jobs.enqueue(ab, {}, { id: "c" });
    await jobs.enqueue(a, {}, { id: "b:c" });
    const [x, y] = driver.sent.map((m) => m.deduplicationId);
    expect(x).not.toBe(y);
  });
});
