import { defineJob, silentLogger } from "@glasswork/core";
import { SpanStatusCode } from "@opentelemetry/api";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { ATTR } from "./attributes.js";
import { setupApp, setupOtel } from "./test-otel.js";

let otel: ReturnType<typeof setupOtel>;
beforeEach(() => {
  otel = setupOtel();
});
afterEach(async () => {
  await otel.shutdown();
});

// Issue 18.13: a user backoff function that throws used to leave the span UNSET with outcome
// "deferred", and the record came back on every receive without an outcome.
const brokenBackoff = defineJob<{ n: number }>({
  name: "broken-backoff",
  retry: {
    maxAttempts: 2,
    backoff: () => {
      throw new Error("backoff exploded");
    },
  },
  handler: () => {
    throw new Error("smtp down");
  },
});

describe("a job whose backoff function throws", () => {
  it("ends its span as ERROR with the exception, retries, then dead-letters when exhausted", async () => {
    const { jobs, runOnce, clock, driver } = setupApp(otel, {
      jobs: [brokenBackoff],
      logger: silentLogger,
    });
    await jobs.enqueue(brokenBackoff, { n: 1 });

    await runOnce();
    const [first] = otel.spans().filter((s) => s.name.startsWith("process "));
    expect(first?.attributes[ATTR.jobOutcome]).toBe("retry");
    expect(first?.status.code).toBe(SpanStatusCode.ERROR);
    expect(first?.events.some((e) => e.name === "exception")).toBe(true);

    clock.advance("15m");
    await runOnce();
    const second = otel.spans().filter((s) => s.name.startsWith("process "))[1];
    expect(second?.attributes[ATTR.jobOutcome]).toBe("dead_letter");
    expect(second?.status.code).toBe(SpanStatusCode.ERROR);
    expect(driver.deadLetters).toHaveLength(1);
  });
});
