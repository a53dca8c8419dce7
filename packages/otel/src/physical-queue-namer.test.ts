import { defineJob, silentLogger } from "@glasswork/core";
import * as v from "valibot";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { ATTR, METRICS } from "./attributes.js";
import { physicalQueueNamer } from "./physical-queue-namer.js";
import { setupApp, setupOtel } from "./test-otel.js";

let otel: ReturnType<typeof setupOtel>;
beforeEach(() => {
  otel = setupOtel();
});
afterEach(async () => {
  await otel.shutdown();
});

const ping = defineJob({
  name: "ping",
  schema: v.object({ n: v.number() }),
  handler: () => {},
});

describe("messaging.destination.name", () => {
  it("is the queue's physical name on both sides when the driver tells it; the logical one rides as glasswork.queue", async () => {
    const app = setupApp(
      otel,
      { jobs: [ping], logger: silentLogger },
      { physicalNames: { default: "prod-jobs" } },
    );
    await app.jobs.enqueue(ping, { n: 1 });
    await app.jobs.enqueueBatch([
      { job: ping, payload: { n: 2 } },
      { job: ping, payload: { n: 3 } },
    ]);
    // Lambda names the queue by its ARN: the physical name.
    await app.runOnce("default", "prod-jobs");

    const producers = otel
      .spans()
      .filter((s) => s.name.startsWith("send") || s.name.startsWith("create"));
    expect(producers.map((s) => s.name).sort()).toEqual([
      "create prod-jobs",
      "create prod-jobs",
      "send prod-jobs",
      "send prod-jobs",
    ]);
    for (const span of producers) {
      expect(span.attributes[ATTR.destinationName]).toBe("prod-jobs");
    }
    for (const span of producers.filter((s) => s.attributes[ATTR.jobName]))
      expect(span.attributes[ATTR.queue]).toBe("default");
    const processes = otel.spans().filter((s) => s.name === "process prod-jobs");
    expect(processes).toHaveLength(3);
    for (const span of processes) {
      expect(span.attributes[ATTR.destinationName]).toBe("prod-jobs");
      // The worker was given the physical name: nothing logical to add.
      expect(span.attributes[ATTR.queue]).toBeUndefined();
    }

    const scope = (await otel.metrics()).scopeMetrics.find(
      (s) => s.scope.name === "@glasswork/otel",
    );
    for (const name of [METRICS.sentMessages, METRICS.outcomes, METRICS.queueWait]) {
      const destinations = scope?.metrics
        .find((m) => m.descriptor.name === name)
        ?.dataPoints.map((p) => p.attributes[ATTR.destinationName]);
      expect(new Set(destinations)).toEqual(new Set(["prod-jobs"]));
    }
  });

  it("is the physical name when a poller names the queue logically, with the logical one as glasswork.queue", async () => {
    const app = setupApp(
      otel,
      { jobs: [ping], logger: silentLogger },
      { physicalNames: { default: "prod-jobs" } },
    );
    await app.jobs.enqueue(ping, { n: 1 });
    await app.runOnce("default", "default");
    expect(otel.span("process prod-jobs").attributes).toMatchObject({
      [ATTR.destinationName]: "prod-jobs",
      [ATTR.queue]: "default",
    });
  });
});

describe("physicalQueueNamer", () => {
  it("prefers the option, then the driver, then a URL's last segment, then the name itself", () => {
    const driver = { physicalQueueName: (q: string) => (q === "default" ? "from-driver" : q) };
    expect(
      physicalQueueNamer({ physicalQueueName: () => "from-option", driver: driver as never })(
        "default",
      ),
    ).toBe("from-option");
    expect(physicalQueueNamer({ driver: driver as never })("default")).toBe("from-driver");
    const fallback = physicalQueueNamer({});
    expect(fallback("https://sqs.eu-west-1.amazonaws.com/123456789012/jobs-prod/")).toBe(
      "jobs-prod",
    );
    expect(fallback("default")).toBe("default");
  });
});
