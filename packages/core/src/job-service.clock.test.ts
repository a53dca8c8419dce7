import { describe, expect, it } from "vitest";
import { defineJob } from "./define-job.js";
import { JobService } from "./job-service.js";
import { FakeQueueDriver } from "./test-fake-driver.js";

// Issue 12 item 15: JobService read Date.now while the mock driver kept a manual clock, so the
// runAt of a long delay was in real time and the relay, on the manual clock, never reached it.

const remind = defineJob<{ userId: string }>({ name: "remind", handler: () => {} });
const DRIVER_NOW = Date.parse("2030-06-01T00:00:00.000Z");

class ClockedDriver extends FakeQueueDriver {
  readonly clock = { now: () => DRIVER_NOW };
}

describe("JobService on a driver with its own clock", () => {
  it("reads enqueuedAt and runAt from the driver's clock", async () => {
    const driver = new ClockedDriver();
    const sent = await new JobService(driver).enqueueIn(remind, { userId: "u" }, "1h");
    const body = JSON.parse(driver.sent[0]?.body ?? "{}");
    expect(body.enqueuedAt).toBe("2030-06-01T00:00:00.000Z");
    expect(body.runAt).toBe("2030-06-01T01:00:00.000Z");
    expect(sent.runAt).toEqual(new Date("2030-06-01T01:00:00.000Z"));
  });

  it("lets an explicit now option win over the driver's clock", async () => {
    const driver = new ClockedDriver();
    const now = Date.parse("2031-01-01T00:00:00.000Z");
    await new JobService(driver, { now: () => now }).enqueue(remind, { userId: "u" });
    expect(JSON.parse(driver.sent[0]?.body ?? "{}").enqueuedAt).toBe("2031-01-01T00:00:00.000Z");
  });
});
