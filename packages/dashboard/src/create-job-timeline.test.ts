import { defineJob, JobService, PermanentJobError, silentLogger } from "@glasswork/core";
import { MockQueueDriver } from "@glasswork/driver-mock";
import { bootstrapWorker, drainQueue } from "@glasswork/worker";
import { describe, expect, it } from "vitest";
import { createJobTimeline } from "./create-job-timeline.js";
import { timelineRows } from "./internal/timeline-rows.js";

describe("createJobTimeline", () => {
  it("records enqueued → attempt 1 failed, retry → completed from the producer and worker hooks, without payloads", async () => {
    const timeline = createJobTimeline({ size: 50 });
    const driver = new MockQueueDriver();
    let runs = 0;
    const flaky = defineJob<{ secret: string }>({
      name: "flaky",
      retry: { maxAttempts: 3, backoff: () => 0 },
      handler: () => {
        runs += 1;
        if (runs === 1) throw new Error("upstream timed out");
      },
    });
    const doomed = defineJob<{ secret: string }>({
      name: "doomed",
      handler: () => {
        throw new PermanentJobError("user u_1 does not exist");
      },
    });
    const jobs = new JobService(driver, { logger: silentLogger, hooks: [timeline.producerHooks] });
    const handler = bootstrapWorker({
      jobs: [flaky, doomed],
      driver,
      logger: silentLogger,
      hooks: [timeline.workerHooks],
    });
    const a = await jobs.enqueue(flaky, { secret: "s3cr3t" });
    const b = await jobs.enqueue(doomed, { secret: "s3cr3t" });
    await drainQueue({ handler, driver, queue: "default" });

    const rows = timelineRows(timeline.events());
    const row = (id: string) => rows.find((r) => r.jobId === id);
    expect(row(a.jobId)?.steps.map((s) => s.text)).toEqual([
      "enqueued",
      "attempt 1 failed, retry in 0 s",
      expect.stringMatching(/^completed in \d+ ms$/),
    ]);
    expect(row(a.jobId)?.error).toContain("upstream timed out");
    expect(row(b.jobId)?.steps.map((s) => s.text)).toEqual([
      "enqueued",
      "attempt 1 failed",
      "dead-lettered (permanent)",
    ]);
    expect(JSON.stringify(timeline.events())).not.toContain("s3cr3t");
  });

  it("keeps only the newest `size` events", () => {
    let now = 0;
    const timeline = createJobTimeline({ size: 3, now: () => now++ });
    const hooks = timeline.producerHooks;
    for (let i = 1; i <= 5; i++) {
      hooks.onEnqueued?.({ operation: "enqueue", jobs: [] }, [
        {
          ok: true,
          index: 0,
          value: {
            jobId: `j${i}`,
            jobName: "x",
            queue: "default",
            messageId: `m${i}`,
            delaySeconds: 0,
            runAt: undefined,
          },
        },
      ]);
    }
    expect(timeline.events().map((e) => [e.jobId, e.seq])).toEqual([
      ["j3", 3],
      ["j4", 4],
      ["j5", 5],
    ]);
    expect(() => createJobTimeline({ size: 0 })).toThrow(RangeError);
  });
});
