import { defineJob, silentLogger } from "@glasswork/core";
import { metrics, trace } from "@opentelemetry/api";
import * as v from "valibot";
import { afterEach, beforeEach, expect, it } from "vitest";
import { ATTR, METRICS } from "./attributes.js";
import { setupApp, setupOtel } from "./test-otel.js";

let otel: ReturnType<typeof setupOtel>;
beforeEach(() => {
  otel = setupOtel();
});
afterEach(async () => {
  metrics.disable();
  trace.disable();
  await otel.shutdown();
});

const ping = defineJob({
  name: "ping",
  schema: v.object({ n: v.number() }),
  handler: () => {},
});

it("records metrics and spans when the hooks were created before the SDK registered", async () => {
  // The example's order: hooks at module load, SDK registered afterwards.
  const app = setupApp(otel, { jobs: [ping], logger: silentLogger }, { globalProviders: true });
  metrics.setGlobalMeterProvider(otel.meterProvider);
  trace.setGlobalTracerProvider(otel.tracerProvider);

  await app.jobs.enqueue(ping, { n: 1 });
  await app.runOnce();

  const scope = (await otel.metrics()).scopeMetrics.find((s) => s.scope.name === "@glasswork/otel");
  const total = (name: string) =>
    scope?.metrics
      .find((m) => m.descriptor.name === name)
      ?.dataPoints.reduce(
        (n, p) =>
          n + (typeof p.value === "number" ? p.value : (p.value as { count: number }).count),
        0,
      );
  expect(total(METRICS.sentMessages)).toBe(1);
  expect(total(METRICS.outcomes)).toBe(1);
  expect(total(METRICS.processDuration)).toBe(1);
  expect(total(METRICS.queueWait)).toBe(1);
  expect(otel.span("process default").attributes[ATTR.jobOutcome]).toBe("completed");
});
