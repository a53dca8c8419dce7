import { defineJob, JobService, silentLogger } from "@glasswork/core";
import { ManualClock, MockQueueDriver } from "@glasswork/driver-mock";
import { describe, expect, it } from "vitest";
import { bootstrapWorker } from "./bootstrap-worker.js";
import { drainQueue } from "./drain-queue.js";

// Issue 12 item 15: with the README's drainQueue wiring (`new JobService(driver)`, no `now`),
// JobService wrote a real-time runAt that the worker, on the manual clock, never reached.

describe("the worker README's drainQueue snippet with enqueueIn beyond the native delay", () => {
  it('runs a job enqueued in "1h" once the ManualClock has advanced an hour, and not before', async () => {
    const runs: string[] = [];
    const sendWelcomeEmail = defineJob<{ userId: string }>({
      name: "send-welcome-email",
      handler: ({ userId }) => {
        runs.push(userId);
      },
    });
    // As in packages/worker/README.md, plus enqueueIn and a silent logger.
    const clock = new ManualClock();
    const driver = new MockQueueDriver({ clock });
    const handler = bootstrapWorker({
      jobs: [sendWelcomeEmail],
      driver,
      logger: silentLogger,
      now: () => clock.now(),
    });
    await new JobService(driver).enqueueIn(sendWelcomeEmail, { userId: "u_1" }, "1h");

    expect(await drainQueue({ handler, driver })).toEqual({ batches: 0, done: 0, failed: 0 });
    // Each hop waits the native 900 s; the first three are relayed without running the job.
    for (let hop = 1; hop <= 3; hop++) {
      clock.advance("15m");
      expect(await drainQueue({ handler, driver })).toEqual({ batches: 1, done: 1, failed: 0 });
      expect(runs).toEqual([]);
    }
    clock.advance("14m");
    expect(await drainQueue({ handler, driver })).toEqual({ batches: 0, done: 0, failed: 0 });
    clock.advance("1m");
    expect(await drainQueue({ handler, driver })).toEqual({ batches: 1, done: 1, failed: 0 });
    expect(runs).toEqual(["u_1"]);
  });
});
