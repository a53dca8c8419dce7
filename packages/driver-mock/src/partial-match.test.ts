import { defineJob, JobService } from "@glasswork/core";
import { describe, expect, it } from "vitest";
import { MockQueueDriver } from "./mock-queue-driver.js";

// Issue 11: `expectEnqueued(job, { userId: expect.any(String) })` failed with
// `{"userId":{"inverse":false}}`: the partial match did not know asymmetric matchers.

const sendInvoice = defineJob<{ userId: string; invoice: { number: string; lines: number } }>({
  name: "send-invoice",
  handler: () => {},
});

async function enqueued(): Promise<MockQueueDriver> {
  const driver = new MockQueueDriver();
  await new JobService(driver).enqueue(sendInvoice, {
    userId: "u_42",
    invoice: { number: "INV-2026-0007", lines: 3 },
  });
  return driver;
}

describe("expectEnqueued with vitest's asymmetric matchers", () => {
  it("matches expect.any(String) for a string field", async () => {
    const driver = await enqueued();
    expect(driver.expectEnqueued(sendInvoice, { userId: expect.any(String) }).jobName).toBe(
      "send-invoice",
    );
    expect(driver.wasEnqueued(sendInvoice, { userId: expect.any(Number) })).toBe(false);
  });

  it("matches expect.stringMatching inside a nested object", async () => {
    const driver = await enqueued();
    driver.expectEnqueued(sendInvoice, {
      invoice: { number: expect.stringMatching(/^INV-\d{4}-/), lines: 3 },
    });
    expect(
      driver.wasEnqueued(sendInvoice, {
        invoice: { number: expect.stringMatching(/^CN-/), lines: 3 },
      }),
    ).toBe(false);
  });

  it("matches expect.objectContaining for a sub-object", async () => {
    const driver = await enqueued();
    driver.expectEnqueued(sendInvoice, { invoice: expect.objectContaining({ lines: 3 }) });
    expect(
      driver.wasEnqueued(sendInvoice, { invoice: expect.objectContaining({ lines: 4 }) }),
    ).toBe(false);
  });

  it("names the matchers in the error of a miss, not their internals", async () => {
    const driver = await enqueued();
    expect(() => driver.expectEnqueued(sendInvoice, { userId: expect.any(Number) })).toThrow(
      'Expected job "send-invoice" to be enqueued with {"userId":"Any<Number>"}, but its payloads were:',
    );
  });
});
