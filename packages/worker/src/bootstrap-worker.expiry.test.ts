import { type Duration, decodeEnvelope, defineJob, JobService } from "@glasswork/core";
import { ManualClock, MockQueueDriver } from "@glasswork/driver-mock";
import * as v from "valibot";
import { describe, expect, it } from "vitest";
import { bootstrapWorker } from "./bootstrap-worker.js";
import { drainQueue } from "./drain-queue.js";
import { recordingLogger } from "./test-harness.js";

// Issue 16 item 2, the OTP case: a one-time password mailed ten minutes late is useless.

function otpWorld(options: { onExpired?: "dead-letter" | "drop"; expiresAfter?: Duration } = {}) {
  const sent: string[] = [];
  const sendOtpEmail = defineJob({
    name: "send-otp-email",
    schema: v.object({ userId: v.string(), code: v.string() }),
    // A day unless told: every test but "drop" sets its own expiresIn, which overrides it.
    expiresAfter: options.expiresAfter ?? "1d",
    onExpired: options.onExpired ?? "dead-letter",
    handler: ({ userId, code }) => {
      sent.push(`${userId}:${code}`);
    },
  });
  const clock = new ManualClock();
  const driver = new MockQueueDriver({ clock });
  const log = recordingLogger();
  const handler = bootstrapWorker({
    jobs: [sendOtpEmail],
    driver,
    logger: log.logger,
    now: () => clock.now(),
  });
  const jobs = new JobService(driver);
  const drain = () => drainQueue({ handler, driver });
  return { sent, sendOtpEmail, clock, driver, log, jobs, drain };
}

describe("expiry through the real worker on a ManualClock", () => {
  it("runs an OTP email received before its expiry", async () => {
    const w = otpWorld();
    await w.jobs.enqueue(w.sendOtpEmail, { userId: "u_1", code: "123456" }, { expiresIn: "10m" });
    w.clock.advance("9m");
    expect(await w.drain()).toEqual({ batches: 1, done: 1, failed: 0 });
    expect(w.sent).toEqual(["u_1:123456"]);
    expect(w.driver.deadLetters).toEqual([]);
  });

  it("dead-letters an OTP email received 11 minutes after a 10-minute expiry, without running it, and logs its age", async () => {
    const w = otpWorld();
    const enqueued = await w.jobs.enqueue(
      w.sendOtpEmail,
      { userId: "u_1", code: "123456" },
      { expiresIn: "10m" },
    );
    w.clock.advance("11m");
    expect(await w.drain()).toEqual({ batches: 1, done: 1, failed: 0 });
    expect(w.sent).toEqual([]);
    expect(w.driver.deadLetters).toHaveLength(1);
    expect(w.driver.deadLetters[0]).toMatchObject({
      reason: "expired",
      jobName: "send-otp-email",
      attempt: 1,
    });
    expect(w.driver.deadLetters[0]?.error).toMatch(/expired at 2026-01-01T00:10:00.000Z/);
    const [line] = w.log.find("warn", /expired before it ran; moving it to the dead-letter queue/);
    expect(line?.fields).toMatchObject({ ageMs: 660_000, lateMs: 60_000 });
    expect(line?.bindings).toMatchObject({ jobId: enqueued.jobId });
    expect(w.driver.messages("default")).toEqual([]);
  });

  it("treats a job received exactly at its expiry as expired", async () => {
    const w = otpWorld();
    await w.jobs.enqueue(w.sendOtpEmail, { userId: "u_1", code: "1" }, { expiresIn: "10m" });
    w.clock.advance("10m");
    await w.drain();
    expect(w.sent).toEqual([]);
    expect(w.driver.deadLetters.map((d) => d.reason)).toEqual(["expired"]);
  });

  it('deletes an expired job without dead-lettering it with onExpired: "drop", and logs its age', async () => {
    const w = otpWorld({ onExpired: "drop", expiresAfter: "10m" });
    await w.jobs.enqueue(w.sendOtpEmail, { userId: "u_1", code: "1" });
    w.clock.advance("30m");
    expect(await w.drain()).toEqual({ batches: 1, done: 1, failed: 0 });
    expect(w.sent).toEqual([]);
    expect(w.driver.deadLetters).toEqual([]);
    expect(w.driver.messages("default")).toEqual([]);
    const [line] = w.log.find("warn", /expired before it ran; dropped/);
    expect(line?.fields).toMatchObject({ ageMs: 1_800_000, lateMs: 1_200_000 });
  });

  it("expires a job whose retries outlast its expiry instead of running it again", async () => {
    let runs = 0;
    const flaky = defineJob<{ n: number }>({
      name: "flaky",
      retry: { maxAttempts: 10, backoff: { base: 120, jitter: "none" } },
      expiresAfter: "5m",
      handler: () => {
        runs++;
        throw new Error("smtp down");
      },
    });
    const clock = new ManualClock();
    const driver = new MockQueueDriver({ clock });
    const handler = bootstrapWorker({
      jobs: [flaky],
      driver,
      logger: recordingLogger().logger,
      now: () => clock.now(),
    });
    await new JobService(driver).enqueue(flaky, { n: 1 });
    for (let i = 0; i < 4; i++) {
      await drainQueue({ handler, driver });
      clock.advance("4m");
    }
    expect(runs).toBe(2);
    expect(driver.deadLetters.map((d) => d.reason)).toEqual(["expired"]);
  });

  it("keeps the expiry through the relay of a long delay and expires the job on a later hop", async () => {
    const w = otpWorld();
    await w.jobs.enqueueIn(w.sendOtpEmail, { userId: "u_1", code: "1" }, "20m", {
      expiresIn: "30m",
    });
    w.clock.advance("15m");
    expect(await w.drain()).toEqual({ batches: 1, done: 1, failed: 0 });
    const relayed = w.driver.enqueued.at(-1);
    const decoded = decodeEnvelope(relayed?.body ?? "");
    expect(decoded.ok && decoded.envelope.expiresAt).toBe("2026-01-01T00:30:00.000Z");
    // The relayed copy is due at 20 min; the worker is down until 31 min.
    w.clock.advance("16m");
    await w.drain();
    expect(w.sent).toEqual([]);
    expect(w.driver.deadLetters.map((d) => d.reason)).toEqual(["expired"]);
  });

  it("dead-letters a redriven expired job as expired again, still without running it", async () => {
    const w = otpWorld();
    await w.jobs.enqueue(w.sendOtpEmail, { userId: "u_1", code: "1" }, { expiresIn: "10m" });
    w.clock.advance("11m");
    await w.drain();
    // Sent back as a redrive (`@glasswork/ops`) does: the same body, without the DLQ details.
    const [dead] = await w.driver.receive("default-dlq", { maxMessages: 1 });
    if (!dead) throw new Error("nothing in the dead-letter queue");
    await w.driver.send([{ queue: "default", body: dead.body, attributes: {} }]);
    await w.driver.delete("default-dlq", [dead.receiptHandle]);
    await w.drain();
    expect(w.sent).toEqual([]);
    expect(w.driver.deadLetters.map((d) => d.reason)).toEqual(["expired", "expired"]);
  });
});
