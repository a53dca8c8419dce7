import { defineJob, JobService, PermanentJobError, silentLogger } from "@glasswork/core";
import { ManualClock, MockQueueDriver } from "@glasswork/driver-mock";
import * as v from "valibot";
import { describe, expect, it, vi } from "vitest";
import { bootstrapWorker } from "./bootstrap-worker.js";
import { createInlineRunner } from "./create-inline-runner.js";
import { drainQueue } from "./drain-queue.js";

// The snippets of issue 16's README sections, as written there (plus a logger or clock the
// test needs to observe them): packages/core/README.md "Expiry" and "Per-job onDeadLetter",
// packages/worker/README.md "Inline runs for local development".

describe("README snippets", () => {
  it("core › Expiry: the enqueue's expiresIn overrides expiresAfter, and a late worker does not run the job", async () => {
    const mailed: string[] = [];
    const sendOtpEmail = defineJob<{ userId: string; code: string }>({
      name: "send-otp-email",
      expiresAfter: "10m",
      onExpired: "dead-letter",
      handler: async ({ userId, code }) => {
        mailed.push(`mail ${code} to ${userId}`);
      },
    });
    const clock = new ManualClock();
    const driver = new MockQueueDriver({ clock });
    const jobs = new JobService(driver);
    await jobs.enqueue(sendOtpEmail, { userId: "u_1", code: "123456" }, { expiresIn: "5m" });

    clock.advance("6m");
    const handler = bootstrapWorker({ jobs: [sendOtpEmail], driver, logger: silentLogger });
    await drainQueue({ handler, driver });
    expect(mailed).toEqual([]);
    expect(driver.deadLetters.map((d) => d.reason)).toEqual(["expired"]);
  });

  it("core › Per-job onDeadLetter: logs the order id with the reason for a PermanentJobError", async () => {
    const warnings: unknown[] = [];
    const logger = {
      ...silentLogger,
      warn: (fields: unknown) => {
        warnings.push(fields);
      },
      child: () => logger,
    };
    const chargeCard = defineJob({
      name: "charge-card",
      schema: v.object({ orderId: v.string(), cents: v.number() }),
      handler: async ({ cents }) => {
        if (cents > 100_000) throw new PermanentJobError("over the card limit");
      },
      onDeadLetter: async (_payload, ctx, error) => {
        if (!ctx.payloadValid)
          return ctx.logger.error({ err: error }, "charge job with a bad payload");
        ctx.logger.warn(
          { orderId: ctx.payload.orderId, reason: ctx.reason },
          "charge failed for good",
        );
      },
    });
    const driver = new MockQueueDriver({ clock: new ManualClock() });
    await new JobService(driver).enqueue(chargeCard, { orderId: "o_1", cents: 500_000 });
    await drainQueue({ handler: bootstrapWorker({ jobs: [chargeCard], driver, logger }), driver });
    expect(warnings).toContainEqual({ orderId: "o_1", reason: "permanent" });
  });

  it("worker › Inline runs: enqueue resolves at once, idle() waits for the run, dispose() ends", async () => {
    const info = vi.fn();
    const logger = { ...silentLogger, info, child: () => logger };
    const sendWelcomeEmail = defineJob<{ userId: string }>({
      name: "send-welcome-email",
      handler: async ({ userId }, ctx) => {
        ctx.logger.info({ userId }, "welcome mail sent");
      },
    });

    const runner = createInlineRunner({
      driver: new MockQueueDriver(),
      jobs: [sendWelcomeEmail],
      logger,
    });
    await runner.jobs.enqueue(sendWelcomeEmail, { userId: "u_1" });
    await runner.idle();
    expect(info).toHaveBeenCalledWith({ userId: "u_1" }, "welcome mail sent");
    expect(runner.driver.deadLetters).toEqual([]);
    await runner.dispose();
  });
});
