import { defineJob, EnqueueBatchError, JobService } from "@glasswork/core";
import * as v from "valibot";
import { afterAll, beforeAll, beforeEach, describe, expect, it } from "vitest";
import { SQSQueueDriver } from "./sqs-queue-driver.js";
import { type FauxqsTestServer, startFauxqsTestServer, type TestQueueSet } from "./test-fauxqs.js";
import { failBatchEntries } from "./test-middleware.js";

// Issue 12 item 7: one entry of a SendMessageBatch to a FIFO queue fails retryably while later
// entries of its group are stored; re-sending it delivered the group as 1, 2, 0.

let sqs: FauxqsTestServer;
let queues: TestQueueSet;
let driver: SQSQueueDriver;

beforeAll(async () => {
  sqs = await startFauxqsTestServer();
});
afterAll(async () => {
  await sqs.stop();
});
beforeEach(async () => {
  queues = await sqs.createQueueSet("order");
  driver = new SQSQueueDriver({ ...sqs.clientConfig, queues: { "steps.fifo": queues.fifo.url } });
  return () => driver.dispose();
});

const step = defineJob({
  name: "apply-step",
  queue: "steps.fifo",
  schema: v.object({ account: v.string(), seq: v.number() }),
  unique: { key: (p) => `${p.account}-${p.seq}` },
  group: (p) => p.account,
  handler: () => {},
});

const items = (...steps: [account: string, seq: number][]) =>
  steps.map(([account, seq]) => ({ job: step, payload: { account, seq } }));

// fauxqs hands out one message per group and receive: receive and delete until empty.
async function deliveryOrder(): Promise<string[]> {
  const order: string[] = [];
  for (let empty = 0; empty < 2; ) {
    const batch = await driver.receive("steps.fifo", { maxMessages: 10 });
    if (batch.length === 0) {
      empty++;
      continue;
    }
    for (const m of batch) {
      const { account, seq } = JSON.parse(m.body).payload as { account: string; seq: number };
      order.push(`${account}${seq}`);
    }
    await driver.delete(
      "steps.fifo",
      batch.map((m) => m.receiptHandle),
    );
  }
  return order;
}

describe("enqueueBatch to a FIFO queue when SQS fails one entry of a batch retryably", () => {
  it("reports the first entry of a group failed instead of re-sending it behind the later ones", async () => {
    failBatchEntries(await driver.getClient(), { ids: ["0"] });
    const error = await new JobService(driver)
      .enqueueBatch(items(["a", 0], ["a", 1], ["a", 2]))
      .catch((e: unknown) => e);

    expect(error).toBeInstanceOf(EnqueueBatchError);
    const batch = error as EnqueueBatchError;
    expect(batch.failed.map((r) => r.index)).toEqual([0]);
    expect(batch.failed[0]?.error.message).toMatch(
      /not re-sent: later messages of FIFO group "a" in the same request were accepted.*InternalError/,
    );
    expect(batch.succeeded.map((r) => r.index)).toEqual([1, 2]);
    expect(await deliveryOrder()).toEqual(["a1", "a2"]);
  });

  it("re-sends a failed entry that is the last of its group in the request, keeping the order", async () => {
    failBatchEntries(await driver.getClient(), { ids: ["2"] });
    const sent = await new JobService(driver).enqueueBatch(
      items(["a", 0], ["a", 1], ["a", 2], ["b", 0]),
    );
    expect(sent).toHaveLength(4);
    expect((await deliveryOrder()).filter((s) => s.startsWith("a"))).toEqual(["a0", "a1", "a2"]);
  });

  it("decides per group: an overtaken entry is reported, another group's last entry is re-sent", async () => {
    failBatchEntries(await driver.getClient(), { ids: ["0", "3"] });
    const error = await new JobService(driver)
      .enqueueBatch(items(["a", 0], ["b", 0], ["a", 1], ["b", 1]))
      .catch((e: unknown) => e);

    expect((error as EnqueueBatchError).failed.map((r) => r.index)).toEqual([0]);
    const order = await deliveryOrder();
    expect(order.filter((s) => s.startsWith("a"))).toEqual(["a1"]);
    expect(order.filter((s) => s.startsWith("b"))).toEqual(["b0", "b1"]);
  });
});
