import { defineJob, JobService, silentLogger } from "@glasswork/core";
import { MockQueueDriver } from "@glasswork/driver-mock";
import { afterEach, beforeEach, describe, expect, it, vi } from "vitest";
import { bootstrapWorker } from "./bootstrap-worker.js";
import { startPoller } from "./start-poller.js";

// Issue 12 item 4: a poller configured with waitTimeSeconds 0 (short polling, as some container
// setups do) on an empty queue. It used to loop without a pause: ~350 ReceiveMessage requests a
// second on fauxqs, and on the mock driver the loop never yielded, so stop() never took effect.
// Fake timers: the mock driver and the poller both read Date and setTimeout.

beforeEach(() => {
  vi.useFakeTimers({
    toFake: ["setTimeout", "clearTimeout", "setInterval", "clearInterval", "Date", "performance"],
  });
});
afterEach(() => {
  vi.useRealTimers();
});

describe("a poller with waitTimeSeconds 0 on an empty queue (mock driver)", () => {
  it("makes one receive a second, runs what arrives, and stops at once", async () => {
    const ran: number[] = [];
    const job = defineJob<{ n: number }>({ name: "count", handler: ({ n }) => void ran.push(n) });
    const driver = new MockQueueDriver();
    const handler = bootstrapWorker({ jobs: [job], driver, logger: silentLogger });
    const poller = startPoller({
      handler,
      driver,
      queue: "default",
      waitTimeSeconds: 0,
      stopOnSignals: [],
      logger: silentLogger,
    });

    await vi.advanceTimersByTimeAsync(10_000);
    // At 0, 1,000, …, 10,000 ms.
    expect(driver.calls.receive).toBe(11);

    await new JobService(driver).enqueue(job, { n: 1 });
    await vi.advanceTimersByTimeAsync(1_000);
    expect(ran).toEqual([1]);

    let stoppedAt: number | undefined;
    const stopAt = Date.now();
    void poller.stop().then(() => {
      stoppedAt = Date.now();
    });
    await vi.advanceTimersByTimeAsync(0);
    expect(stoppedAt).toBe(stopAt);
  });
});
