import {
  decodeEnvelope,
  defineJob,
  EnqueueBatchError,
  isJobError,
  JOB_NAME_ATTRIBUTE,
  JobService,
  type ReceivedMessage,
} from "@glasswork/core";
import * as v from "valibot";
import { afterAll, beforeAll, beforeEach, describe, expect, it } from "vitest";
import { SQSQueueDriver } from "./sqs-queue-driver.js";
import type { SQSQueueDriverOptions } from "./sqs-queue-driver-options.js";
import { type FauxqsTestServer, startFauxqsTestServer, type TestQueueSet } from "./test-fauxqs.js";
import { failBatchEntries, recordCommands } from "./test-middleware.js";

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
  queues = await sqs.createQueueSet("jobs");
  sqs.resetRequestCounts();
  driver = makeDriver();
  return () => driver.dispose();
});

function makeDriver(options: SQSQueueDriverOptions = {}): SQSQueueDriver {
  return new SQSQueueDriver({
    ...sqs.clientConfig,
    queues: {
      default: queues.queue.url,
      "ordered.fifo": queues.fifo.url,
      small: queues.small.url,
      large: queues.plain.url,
    },
    ...options,
  });
}

const sendEmail = defineJob({
  name: "send-email",
  schema: v.object({ userId: v.string() }),
  handler: () => {},
});

const uploadReport = defineJob({
  name: "upload-report",
  queue: "small",
  schema: v.object({ data: v.string() }),
  handler: () => {},
});

const syncAccount = defineJob({
  name: "sync-account",
  queue: "ordered.fifo",
  schema: v.object({ accountId: v.string() }),
  unique: { key: (p) => `sync-${p.accountId}` },
  group: (p) => p.accountId,
  handler: () => {},
});

async function drain(queue: string, expected: number): Promise<ReceivedMessage[]> {
  const received: ReceivedMessage[] = [];
  for (let tries = 0; tries < 50 && received.length < expected; tries++) {
    const batch = await driver.receive(queue, { maxMessages: 10, waitTimeSeconds: 1 });
    received.push(...batch);
  }
  return received;
}

function envelopeOf(message: ReceivedMessage | undefined) {
  const decoded = decodeEnvelope(message?.body ?? "");
  if (!decoded.ok) throw decoded.error;
  return decoded.envelope;
}

describe("JobService on SQSQueueDriver", () => {
  it("enqueues a job as an envelope with the job name attribute", async () => {
    const jobs = new JobService(driver);
    const enqueued = await jobs.enqueue(sendEmail, { userId: "u_1" });
    expect(enqueued).toMatchObject({ jobName: "send-email", queue: "default", delaySeconds: 0 });

    const [received] = await drain("default", 1);
    expect(received?.messageId).toBe(enqueued.messageId);
    expect(received?.attributes).toEqual({ [JOB_NAME_ATTRIBUTE]: "send-email" });
    expect(envelopeOf(received)).toMatchObject({
      v: 1,
      id: enqueued.jobId,
      name: "send-email",
      payload: { userId: "u_1" },
    });
  });

  it("delays natively up to 900 s", async () => {
    const jobs = new JobService(driver);
    const commands = recordCommands(await driver.getClient());
    const enqueued = await jobs.enqueueIn(sendEmail, { userId: "u_1" }, "10m");
    expect(enqueued).toMatchObject({ delaySeconds: 600, runAt: undefined });
    expect(commands[0]?.input).toMatchObject({ DelaySeconds: 600 });
    expect(await driver.stats("default")).toEqual({ visible: 0, inFlight: 0, delayed: 1 });
  });

  it("sends a longer delay as 900 s with runAt in the envelope", async () => {
    const now = Date.UTC(2030, 0, 1);
    const jobs = new JobService(driver, { now: () => now });
    const commands = recordCommands(await driver.getClient());
    const enqueued = await jobs.enqueueIn(sendEmail, { userId: "u_1" }, "2h");

    expect(enqueued.delaySeconds).toBe(900);
    expect(enqueued.runAt?.toISOString()).toBe("2030-01-01T02:00:00.000Z");
    const [send] = commands;
    expect(send?.input).toMatchObject({ DelaySeconds: 900 });
    const decoded = decodeEnvelope(String(send?.input.MessageBody));
    expect(decoded.ok && decoded.envelope.runAt).toBe("2030-01-01T02:00:00.000Z");
    expect(await driver.stats("default")).toMatchObject({ delayed: 1 });
  });

  it("rejects a payload over 256 KiB before sending anything", async () => {
    const jobs = new JobService(driver);
    const error = await jobs
      .enqueue(uploadReport, { data: "x".repeat(262_144) })
      .catch((e: unknown) => e);
    expect(isJobError(error, "PAYLOAD_TOO_LARGE")).toBe(true);
    expect((error as Error).message).toMatch(/over the queue's limit of 262144 bytes/);
    expect(sqs.requestCount("SendMessage") + sqs.requestCount("SendMessageBatch")).toBe(0);
  });

  it("sends a message just under 256 KiB to a 256 KiB queue", async () => {
    const jobs = new JobService(driver);
    // 262,144 minus the envelope and the job name attribute.
    const data = "x".repeat(262_144 - 300);
    await jobs.enqueue(uploadReport, { data });
    const [received] = await drain("small", 1);
    expect(envelopeOf(received).payload).toEqual({ data });
  });

  it("sends up to 1 MiB when both the service and the driver allow it", async () => {
    const big = makeDriver({ maxMessageBytes: 1_048_576 });
    const jobs = new JobService(big, { maxMessageBytes: 1_048_576 });
    await jobs.enqueue(uploadReport, { data: "x".repeat(600_000) }, { queue: "large" });
    expect(await big.stats("large")).toMatchObject({ visible: 1 });

    // The 256 KiB queue itself refuses it; the driver says so clearly.
    const error = await jobs
      .enqueue(uploadReport, { data: "x".repeat(600_000) })
      .catch((e: unknown) => e);
    expect(isJobError(error, "QUEUE_DRIVER")).toBe(true);
    expect((error as Error).message).toMatch(/larger than the queue accepts/);
    await big.dispose();
  });

  it("enqueues a batch of 25 in 3 requests, one result per item in order", async () => {
    const jobs = new JobService(driver);
    const items = Array.from({ length: 25 }, (_, i) => ({
      job: sendEmail,
      payload: { userId: `u_${i}` },
    }));
    const enqueued = await jobs.enqueueBatch(items);
    expect(sqs.requestCount("SendMessageBatch")).toBe(3);
    expect(enqueued).toHaveLength(25);

    const received = await drain("default", 25);
    const userOf = new Map(received.map((m) => [m.messageId, envelopeOf(m).payload]));
    expect(enqueued.map((e) => userOf.get(e.messageId))).toEqual(items.map((i) => i.payload));
  });

  it("re-sends entries SQS failed without sender fault, each job arriving exactly once", async () => {
    const jobs = new JobService(driver);
    const injected = failBatchEntries(await driver.getClient(), { ids: ["3", "7"], times: 2 });
    const items = Array.from({ length: 25 }, (_, i) => ({
      job: sendEmail,
      payload: { userId: `u_${i}` },
    }));
    const enqueued = await jobs.enqueueBatch(items);

    expect(injected.count).toBe(4);
    expect(enqueued).toHaveLength(25);
    // 3 batches, then one more for the 4 failed entries.
    expect(sqs.requestCount("SendMessageBatch")).toBe(4);
    const received = await drain("default", 25);
    const ids = received.map((m) => envelopeOf(m).id);
    expect(new Set(ids).size).toBe(25);
    expect(ids.sort()).toEqual(enqueued.map((e) => e.jobId).sort());
    expect(await driver.stats("default")).toMatchObject({ visible: 0, delayed: 0 });
  });

  it("does not re-send entries failed by the sender's fault, and says which", async () => {
    const jobs = new JobService(driver);
    failBatchEntries(await driver.getClient(), {
      ids: ["1"],
      code: "InvalidParameterValue",
      senderFault: true,
    });
    const items = [0, 1, 2].map((i) => ({ job: sendEmail, payload: { userId: `u_${i}` } }));
    const error = await jobs.enqueueBatch(items).catch((e: unknown) => e);

    expect(error).toBeInstanceOf(EnqueueBatchError);
    const batch = error as EnqueueBatchError;
    expect(batch.succeeded.map((r) => r.index)).toEqual([0, 2]);
    expect(batch.failed.map((r) => r.index)).toEqual([1]);
    expect(batch.failed[0]?.error.message).toMatch(/InvalidParameterValue/);
    expect(sqs.requestCount("SendMessageBatch")).toBe(1);
  });

  it("uses the job's group and unique key on a FIFO queue", async () => {
    const jobs = new JobService(driver);
    await jobs.enqueue(syncAccount, { accountId: "acc-1" });
    await jobs.enqueue(syncAccount, { accountId: "acc-1" });
    expect(await driver.stats("ordered.fifo")).toMatchObject({ visible: 1 });
    const [received] = await drain("ordered.fifo", 1);
    expect(received).toMatchObject({
      groupId: "acc-1",
      deduplicationId: "sync-account/sync-acc-1",
    });
  });

  it("enqueues a payload holding U+FFFE and U+FFFF, which SQS refuses raw, and it arrives unchanged", async () => {
    const jobs = new JobService(driver);
    const text = "spreadsheet cell \uFFFE\uFFFF end";
    await jobs.enqueue(sendEmail, { userId: text });
    const [received] = await drain("default", 1);
    expect(envelopeOf(received).payload).toEqual({ userId: text });
  });

  it("delivers both of two jobs that share a unique.key on one FIFO queue", async () => {
    const auditAccount = defineJob({
      name: "audit-account",
      queue: "ordered.fifo",
      schema: v.object({ accountId: v.string() }),
      unique: { key: (p) => `sync-${p.accountId}` },
      group: (p) => p.accountId,
      handler: () => {},
    });
    const jobs = new JobService(driver);
    const sync = await jobs.enqueue(syncAccount, { accountId: "acc-1" });
    const audit = await jobs.enqueue(auditAccount, { accountId: "acc-1" });
    expect(audit.messageId).not.toBe(sync.messageId);

    const names: string[] = [];
    for (let tries = 0; tries < 10 && names.length < 2; tries++) {
      const batch = await driver.receive("ordered.fifo", { maxMessages: 10 });
      names.push(...batch.map((m) => envelopeOf(m).name));
      if (batch.length > 0) {
        await driver.delete(
          "ordered.fifo",
          batch.map((m) => m.receiptHandle),
        );
      }
    }
    expect(names).toEqual(["sync-account", "audit-account"]);
  });

  it("refuses enqueueIn on a FIFO queue with a clear error", async () => {
    const jobs = new JobService(driver);
    const error = await jobs
      .enqueueIn(syncAccount, { accountId: "acc-1" }, "1m")
      .catch((e: unknown) => e);
    expect(isJobError(error, "QUEUE_DRIVER")).toBe(true);
    expect((error as Error).message).toMatch(/FIFO queues do not support per-message delay/);
  });

  it("reports a job's missing queue clearly", async () => {
    const jobs = new JobService(driver);
    const error = await jobs
      .enqueue(sendEmail, { userId: "u_1" }, { queue: "no-such-queue" })
      .catch((e: unknown) => e);
    expect((error as Error).message).toContain(
      'queue "no-such-queue" does not exist — create it or check the queues option',
    );
  });

  it("sends 10,000 small jobs in exactly 1,000 SendMessageBatch requests", async () => {
    const jobs = new JobService(driver);
    const items = Array.from({ length: 10_000 }, (_, i) => ({
      job: sendEmail,
      payload: { userId: `u_${i}` },
    }));
    const enqueued = await jobs.enqueueBatch(items);

    expect(enqueued).toHaveLength(10_000);
    expect(sqs.requestCount("SendMessageBatch")).toBe(1_000);
    expect(sqs.requestCount("SendMessage")).toBe(0);
    expect(await driver.stats("default")).toEqual({ visible: 10_000, inFlight: 0, delayed: 0 });
  });
});
