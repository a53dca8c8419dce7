import { defineJob, JobService } from "@glasswork/core";
import { MockQueueDriver } from "@glasswork/driver-mock";
import { afterEach, beforeEach, describe, expect, it, vi } from "vitest";
import { bootstrapWorker } from "./bootstrap-worker.js";
import { startPoller } from "./start-poller.js";
import { recordingLogger } from "./test-harness.js";

// Issue 12 item 6: a poller (outside Lambda) whose job ignores ctx.signal and outlives the
// function timeout it imitates. Nothing freezes the handler, so releasing its record at the
// give-up let another lane run the same job beside it. Fake timers drive the mock driver, the
// poller's heartbeat and the worker's deadline.

beforeEach(() => {
  vi.useFakeTimers({
    toFake: ["setTimeout", "clearTimeout", "setInterval", "clearInterval", "Date", "performance"],
  });
});
afterEach(() => {
  vi.useRealTimers();
});

/** A job that ignores its signal and takes `firstRunMs` on its first run, then is quick. */
function stubbornSetup(firstRunMs: number, maxOverrunSeconds?: number) {
  let running = 0;
  let mostAtOnce = 0;
  const runs: number[] = [];
  const job = defineJob<{ n: number }>({
    name: "report",
    retry: { maxAttempts: 5, backoff: { base: 1, max: 1, jitter: "none" } },
    handler: async (_, ctx) => {
      running++;
      mostAtOnce = Math.max(mostAtOnce, running);
      runs.push(ctx.attempt);
      if (runs.length === 1) await new Promise((resolve) => setTimeout(resolve, firstRunMs));
      running--;
    },
  });
  const driver = new MockQueueDriver();
  const log = recordingLogger();
  const poller = startPoller({
    handler: bootstrapWorker({ jobs: [job], driver, logger: log.logger }),
    driver,
    queue: "default",
    concurrency: 2,
    waitTimeSeconds: 1,
    visibilityTimeout: 2,
    // 3 s of function time: margin 1 s, give-up 2,667 ms in.
    functionTimeoutSeconds: 3,
    stopOnSignals: [],
    logger: log.logger,
    ...(maxOverrunSeconds !== undefined && { maxOverrunSeconds }),
  });
  return { job, driver, log, poller, runs, mostAtOnce: () => mostAtOnce };
}

describe("a poller whose job ignores ctx.signal past its 3 s function timeout", () => {
  it("keeps the record hidden while the handler still runs, then deletes it when the handler resolves, never two at once", async () => {
    const s = stubbornSetup(20_000);
    await new JobService(s.driver).enqueue(s.job, { n: 1 });

    await vi.advanceTimersByTimeAsync(15_000);
    // Given up at 2.7 s and reported for retry, but still running: hidden, not run again.
    expect(s.runs).toEqual([1]);
    expect(await s.driver.stats("default")).toEqual({ visible: 0, inFlight: 1, delayed: 0 });

    await vi.advanceTimersByTimeAsync(10_000);
    // The held handler resolved: by the outcome table its message is deleted, not run again
    // (this expected [1, 2] — a second, sequential run of a job that had completed).
    expect(s.runs).toEqual([1]);
    expect(s.mostAtOnce()).toBe(1);
    expect(await s.driver.stats("default")).toEqual({ visible: 0, inFlight: 0, delayed: 0 });
    const stopping = s.poller.stop();
    await vi.advanceTimersByTimeAsync(1_000);
    await stopping;
  });

  it("releases the record after maxOverrunSeconds even if the handler never ends, and says so", async () => {
    const s = stubbornSetup(3_600_000, 10);
    await new JobService(s.driver).enqueue(s.job, { n: 1 });

    await vi.advanceTimersByTimeAsync(9_000);
    expect(s.runs).toEqual([1]);
    await vi.advanceTimersByTimeAsync(6_000);
    expect(s.runs).toEqual([1, 2]);
    expect(s.log.find("error", /still running after 10 s; releasing its message/)).toHaveLength(1);
    const stopping = s.poller.stop();
    await vi.advanceTimersByTimeAsync(1_000);
    await stopping;
  });

  it("waits in stop() for a given-up handler that is still running", async () => {
    const s = stubbornSetup(20_000);
    await new JobService(s.driver).enqueue(s.job, { n: 1 });
    await vi.advanceTimersByTimeAsync(5_000);
    let stopped = false;
    void s.poller.stop().then(() => {
      stopped = true;
    });
    await vi.advanceTimersByTimeAsync(5_000);
    expect(stopped).toBe(false);
    await vi.advanceTimersByTimeAsync(15_000);
    expect(stopped).toBe(true);
    // Its handler resolved while stop() waited: deleted (this expected visible 1, a retry of a
    // job that had completed).
    expect(await s.driver.stats("default")).toEqual({ visible: 0, inFlight: 0, delayed: 0 });
    expect(s.runs).toEqual([1]);
  });
});
