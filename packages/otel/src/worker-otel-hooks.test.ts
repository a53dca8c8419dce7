import { defineJob, definePeriodicJob, silentLogger } from "@glasswork/core";
import { SpanKind, SpanStatusCode, trace } from "@opentelemetry/api";
import * as v from "valibot";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { ATTR, METRICS } from "./attributes.js";
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
let cleanupFails = false;
const nightly = definePeriodicJob({
  name: "nightly-cleanup",
  schedule: "rate(1 day)",
  handler: () => {
    if (cleanupFails) throw new Error("disk full");
  },
});
const logger = silentLogger;

describe("the process span", () => {
  it("links the message's creation context as well as having it as parent", async () => {
    const app = setupApp(otel, { jobs: [ping], logger });
    await app.jobs.enqueue(ping, { n: 1 });
    await app.runOnce();
    const send = otel.span("send default");
    const process = otel.span("process default");
    expect(process.parentSpanContext?.spanId).toBe(send.spanContext().spanId);
    expect(process.links.map((l) => l.context.spanId)).toEqual([send.spanContext().spanId]);
  });

  it("also links an active invocation span, after the creation context", async () => {
    const app = setupApp(otel, { jobs: [ping], logger });
    await app.jobs.enqueue(ping, { n: 1 });
    await otel.tracer.startActiveSpan(
      "lambda invocation",
      { kind: SpanKind.SERVER },
      async (inv) => {
        await app.runOnce();
        inv.end();
      },
    );
    const send = otel.span("send default");
    const invocation = otel.span("lambda invocation");
    expect(otel.span("process default").links.map((l) => l.context.spanId)).toEqual([
      send.spanContext().spanId,
      invocation.spanContext().spanId,
    ]);
  });
});

describe("periodic runs", () => {
  it("are INTERNAL spans named after the job, with faas.trigger=timer and no messaging attributes", async () => {
    cleanupFails = false;
    const app = setupApp(otel, { jobs: [ping, nightly], logger });
    await otel.tracer.startActiveSpan("lambda invocation", async (inv) => {
      await app.handler({ jobName: "nightly-cleanup" } as never, app.context);
      inv.end();
    });
    const span = otel.span("periodic nightly-cleanup");
    expect(span.kind).toBe(SpanKind.INTERNAL);
    expect(span.parentSpanContext?.spanId).toBe(
      otel.span("lambda invocation").spanContext().spanId,
    );
    expect(span.attributes).toMatchObject({
      [ATTR.faasTrigger]: "timer",
      [ATTR.jobName]: "nightly-cleanup",
      [ATTR.jobOutcome]: "completed",
    });
    const messagingKeys = Object.keys(span.attributes).filter((k) => k.startsWith("messaging."));
    expect(messagingKeys).toEqual([]);
    expect(otel.spans().some((s) => s.name.includes("schedule"))).toBe(false);

    const scope = (await otel.metrics()).scopeMetrics.find(
      (s) => s.scope.name === "@glasswork/otel",
    );
    const outcomes = scope?.metrics.find((m) => m.descriptor.name === METRICS.outcomes);
    expect(outcomes?.dataPoints.map((p) => p.attributes)).toEqual([
      { [ATTR.jobName]: "nightly-cleanup", [ATTR.jobOutcome]: "completed" },
    ]);
    expect(scope?.metrics.some((m) => m.descriptor.name === METRICS.processDuration)).toBe(false);
  });

  it("record a failure as ERROR with the exception", async () => {
    cleanupFails = true;
    const app = setupApp(otel, { jobs: [nightly], logger });
    await expect(app.handler({ jobName: "nightly-cleanup" } as never, app.context)).rejects.toThrow(
      "disk full",
    );
    const span = otel.span("periodic nightly-cleanup");
    expect(span.status).toEqual({ code: SpanStatusCode.ERROR, message: "disk full" });
    expect(span.events.map((e) => e.name)).toEqual(["exception"]);
    expect(trace.getActiveSpan()).toBeUndefined();
  });
});
