import { defineJob, isJobError, JobService, type OutgoingMessage } from "@glasswork/core";
import * as v from "valibot";
import { describe, expect, it } from "vitest";
import { ManualClock } from "./clock.js";
import { MockQueueDriver } from "./mock-queue-driver.js";

const sendWelcomeEmail = defineJob({
  name: "send-welcome-email",
  schema: v.object({ userId: v.string(), locale: v.optional(v.string()) }),
  handler: () => {},
});
const other = defineJob<{ n: number }>({ name: "other", handler: () => {} });

const message = (queue: string, body = "{}"): OutgoingMessage => ({ queue, body, attributes: {} });

describe("MockQueueDriver test helpers", () => {
  it("records enqueued jobs with their decoded envelope", async () => {
    const clock = new ManualClock(new Date("2026-03-01T00:00:00Z"));
    const driver = new MockQueueDriver({ clock });
    const jobs = new JobService(driver, { now: () => clock.now() });
    const sent = await jobs.enqueueIn(sendWelcomeEmail, { userId: "u1" }, "1h", {
      meta: { k: "v" },
    });

    expect(driver.enqueued).toEqual([
      expect.objectContaining({
        jobName: "send-welcome-email",
        jobId: sent.jobId,
        payload: { userId: "u1" },
        queue: "default",
        messageId: sent.messageId,
        delaySeconds: 900,
        runAt: new Date("2026-03-01T01:00:00Z"),
        meta: { k: "v" },
      }),
    ]);
  });

  it("matches enqueued payloads partially and explains a miss", async () => {
    const driver = new MockQueueDriver();
    const jobs = new JobService(driver);
    await jobs.enqueue(sendWelcomeEmail, { userId: "u1", locale: "fr" });
    await jobs.enqueue(other, { n: 1 });

    expect(driver.wasEnqueued(sendWelcomeEmail)).toBe(true);
    expect(driver.wasEnqueued(sendWelcomeEmail, { userId: "u1" })).toBe(true);
    expect(driver.wasEnqueued(sendWelcomeEmail, { userId: "u2" })).toBe(false);
    expect(driver.enqueuedJobs(other).map((r) => r.payload.n)).toEqual([1]);
    expect(driver.expectEnqueued(sendWelcomeEmail, { locale: "fr" }).payload).toEqual({
      userId: "u1",
      locale: "fr",
    });
    expect(() => driver.expectEnqueued(sendWelcomeEmail, { userId: "u9" })).toThrow(
      /Expected job "send-welcome-email" to be enqueued with \{"userId":"u9"\}, but its payloads were:\n {2}\{"userId":"u1","locale":"fr"\}/,
    );
    driver.clear();
    expect(() => driver.expectEnqueued(other)).toThrow(/never enqueued/);
    expect(driver.calls.send).toBe(0);
  });

  it("fails the next calls of an operation on demand", async () => {
    const driver = new MockQueueDriver();
    driver.failNext("receive", { times: 2 });
    await expect(driver.receive("q")).rejects.toThrow(/injected failure/);
    await expect(driver.receive("q")).rejects.toThrow(/injected failure/);
    await expect(driver.receive("q")).resolves.toEqual([]);
    expect(driver.calls.receive).toBe(3);

    const custom = new Error("boom");
    driver.failNext("send", { error: custom });
    await expect(driver.send([message("q")])).rejects.toBe(custom);
  });

  it("fails chosen batch entries, which JobService re-sends when retryable", async () => {
    const driver = new MockQueueDriver();
    driver.failEntries((_, index) => index % 2 === 0, { retryable: true });
    const jobs = new JobService(driver);
    const items = Array.from({ length: 6 }, (_, n) => ({ job: other, payload: { n } }));
    await jobs.enqueueBatch(items);
    expect(driver.calls.send).toBe(2);
    expect(
      driver
        .enqueuedJobs(other)
        .map((r) => r.payload.n)
        .sort(),
    ).toEqual([0, 1, 2, 3, 4, 5]);

    driver.failEntries((m) => m.body.includes('"n":3'), { retryable: false });
    const [result] = await driver.send([message("q", '{"n":3}')]);
    expect(result).toMatchObject({ ok: false, retryable: false });
  });
});

describe("MockQueueDriver SQS semantics", () => {
  it("rejects messages over its size limit", async () => {
    const driver = new MockQueueDriver({ maxMessageBytes: 1_024 });
    const [result] = await driver.send([
      { queue: "q", body: "x".repeat(1_020), attributes: { ab: "c" } },
    ]);
    expect(result).toMatchObject({ ok: false, retryable: false });
    expect(result?.ok === false && result.error.message).toMatch(
      /1029 bytes is over the queue's limit of 1024/,
    );
  });

  it("moves a message to the dead-letter queue on the receive after maxReceiveCount", async () => {
    const clock = new ManualClock();
    const driver = new MockQueueDriver({ clock, maxReceiveCount: { jobs: 2 } });
    await driver.send([message("jobs", '{"x":1}')]);
    for (const count of [1, 2]) {
      const [m] = await driver.receive("jobs", { visibilityTimeoutSeconds: 10 });
      expect(m?.receiveCount).toBe(count);
      clock.advance(11);
    }
    expect(await driver.receive("jobs")).toEqual([]);
    expect(driver.deadLetters).toEqual([
      expect.objectContaining({
        queue: "jobs",
        deadLetterQueue: "jobs-dlq",
        reason: "max-receive-count",
        attempt: 2,
      }),
    ]);
    expect(driver.messages("jobs-dlq")).toHaveLength(1);
    expect(await driver.queueInfo("jobs")).toEqual({
      fifo: false,
      deadLetterQueue: "jobs-dlq",
      maxReceiveCount: 2,
      visibilityTimeoutSeconds: 30,
      maxMessageBytes: 262_144,
    });
  });

  it("names dead-letter queues after their source unless configured", async () => {
    const driver = new MockQueueDriver({ deadLetterQueues: { custom: "elsewhere" } });
    expect((await driver.queueInfo("orders.fifo")).deadLetterQueue).toBe("orders-dlq.fifo");
    expect((await driver.queueInfo("custom")).deadLetterQueue).toBe("elsewhere");
    expect((await driver.queueInfo("jobs-dlq")).deadLetterQueue).toBeUndefined();
  });

  it("wakes a long poll when a message arrives", async () => {
    const driver = new MockQueueDriver();
    const polling = driver.receive("q", { waitTimeSeconds: 20 });
    await driver.send([message("q", '{"late":1}')]);
    const received = await polling;
    expect(received.map((m) => m.body)).toEqual(['{"late":1}']);
  });

  it("ends a long poll on abort and on dispose", async () => {
    const driver = new MockQueueDriver();
    const controller = new AbortController();
    const polling = driver.receive("q", { waitTimeSeconds: 20, signal: controller.signal });
    controller.abort();
    await expect(polling).resolves.toEqual([]);

    const second = driver.receive("q", { waitTimeSeconds: 20 });
    await driver.dispose();
    await expect(second).resolves.toEqual([]);
    await expect(driver.send([message("q")])).rejects.toThrow(/disposed/);
  });

  it("accepts a stale receipt handle without deleting, as SQS does, and refuses one it never gave out", async () => {
    const clock = new ManualClock();
    const driver = new MockQueueDriver({ clock });
    await driver.send([message("q")]);
    const [first] = await driver.receive("q", { visibilityTimeoutSeconds: 1 });
    clock.advance(2);
    const [second] = await driver.receive("q", { visibilityTimeoutSeconds: 1 });
    await expect(driver.delete("q", [first?.receiptHandle ?? ""])).resolves.toBeUndefined();
    expect(driver.messages("q")).toHaveLength(1);
    await driver.delete("q", [second?.receiptHandle ?? ""]);
    expect(driver.messages("q")).toHaveLength(0);
    await expect(driver.delete("q", [second?.receiptHandle ?? ""])).resolves.toBeUndefined();
    const bogus = await driver.delete("q", ["not-a-handle"]).catch((e: unknown) => e);
    expect(isJobError(bogus, "QUEUE_DRIVER")).toBe(true);
    expect((bogus as Error).message).toMatch(/ReceiptHandleIsInvalid/);
  });

  it("refuses to change the visibility of a message that is not in flight", async () => {
    const clock = new ManualClock();
    const driver = new MockQueueDriver({ clock });
    await driver.send([message("q")]);
    const [m] = await driver.receive("q", { visibilityTimeoutSeconds: 1 });
    clock.advance(2);
    await expect(driver.changeVisibility("q", m?.receiptHandle ?? "", 5)).rejects.toThrow(
      /not in flight/,
    );
  });

  it("caps visibility changes at 12 hours", async () => {
    const clock = new ManualClock();
    const driver = new MockQueueDriver({ clock });
    await driver.send([message("q")]);
    const [m] = await driver.receive("q");
    await driver.changeVisibility("q", m?.receiptHandle ?? "", 100_000);
    clock.advance(43_199);
    expect(await driver.receive("q")).toEqual([]);
    clock.advance(1);
    expect(await driver.receive("q")).toHaveLength(1);
  });

  it("delivers other FIFO groups while one group has a message in flight", async () => {
    const driver = new MockQueueDriver();
    const fifo = (group: string, n: number): OutgoingMessage => ({
      queue: "o.fifo",
      body: `{"g":"${group}","n":${n}}`,
      attributes: {},
      groupId: group,
      deduplicationId: `${group}${n}`,
    });
    await driver.send([fifo("a", 1), fifo("a", 2), fifo("b", 1)]);
    const first = await driver.receive("o.fifo", { maxMessages: 1 });
    expect(first.map((m) => m.body)).toEqual(['{"g":"a","n":1}']);
    const next = await driver.receive("o.fifo");
    expect(next.map((m) => m.body)).toEqual(['{"g":"b","n":1}']);
  });
});
