import { defineJob, PermanentJobError, silentLogger } from "@glasswork/core";
import { SpanKind, SpanStatusCode, trace } from "@opentelemetry/api";
import type { ReadableSpan } from "@opentelemetry/sdk-trace-base";
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

const childSpans: string[] = [];
const welcome = defineJob({
  name: "send-welcome-email",
  schema: v.object({ userId: v.string() }),
  handler: async ({ userId }) => {
    // A span the user creates inside the handler must nest under the job span.
    trace.getTracer("app").startActiveSpan(`render ${userId}`, (span) => {
      childSpans.push(span.spanContext().spanId);
      span.end();
    });
  },
});
let failures = 0;
const flaky = defineJob<{ n: number }>({
  name: "flaky",
  retry: 3,
  handler: () => {
    if (failures-- > 0) throw new Error("upstream 503");
  },
});
const doomed = defineJob<{ n: number }>({
  name: "doomed",
  handler: () => {
    throw new PermanentJobError("user is gone");
  },
});
const dropped = defineJob<{ n: number }>({
  name: "dropped",
  retry: false,
  handler: () => {
    throw new Error("no luck");
  },
});

const logger = silentLogger;
const isChildOf = (child: ReadableSpan, parent: ReadableSpan) =>
  child.spanContext().traceId === parent.spanContext().traceId &&
  child.parentSpanContext?.spanId === parent.spanContext().spanId;

describe("one trace from the request to the job", () => {
  it("parents the job span on the producer span and nests the handler's spans under it", async () => {
    trace.setGlobalTracerProvider(otel.tracerProvider);
    const app = setupApp(otel, { jobs: [welcome], logger });
    const sent = await app.jobs.enqueue(welcome, { userId: "u1" });
    const meta = app.driver.enqueued[0]?.meta ?? {};
    expect(meta.traceparent).toMatch(/^00-[0-9a-f]{32}-[0-9a-f]{16}-01$/);

    await app.runOnce();
    const send = otel.span("send default");
    const process = otel.span("process default");
    expect(send.kind).toBe(SpanKind.PRODUCER);
    expect(process.kind).toBe(SpanKind.CONSUMER);
    expect(isChildOf(process, send)).toBe(true);
    expect(meta.traceparent).toContain(send.spanContext().spanId);
    const render = otel.span("render u1");
    expect(isChildOf(render, process)).toBe(true);
    expect(childSpans).toContain(render.spanContext().spanId);

    expect(send.attributes).toMatchObject({
      [ATTR.messagingSystem]: "aws_sqs",
      [ATTR.destinationName]: "default",
      [ATTR.operationType]: "send",
      [ATTR.jobName]: "send-welcome-email",
      [ATTR.jobId]: sent.jobId,
      [ATTR.messageId]: sent.messageId,
    });
    expect(process.attributes).toMatchObject({
      [ATTR.messagingSystem]: "aws_sqs",
      [ATTR.destinationName]: "default",
      [ATTR.operationType]: "process",
      [ATTR.operationName]: "process",
      [ATTR.messageId]: sent.messageId,
      [ATTR.jobName]: "send-welcome-email",
      [ATTR.jobId]: sent.jobId,
      [ATTR.jobAttempt]: 1,
      [ATTR.jobOutcome]: "completed",
    });
    expect(process.attributes[ATTR.jobPayload]).toBeUndefined();
    expect(process.status.code).toBe(SpanStatusCode.UNSET);
    trace.disable();
  });

  it("keeps the HTTP request's trace from the request span to the job", async () => {
    const app = setupApp(otel, { jobs: [welcome], logger });
    await otel.tracer.startActiveSpan("POST /users", { kind: SpanKind.SERVER }, async (request) => {
      await app.jobs.enqueue(welcome, { userId: "u2" });
      request.end();
    });
    await app.runOnce();
    const request = otel.span("POST /users");
    const send = otel.span("send default");
    const process = otel.span("process default");
    expect(isChildOf(send, request)).toBe(true);
    expect(isChildOf(process, send)).toBe(true);
    expect(new Set(otel.spans().map((s) => s.spanContext().traceId)).size).toBe(1);
  });

  it("covers enqueueBatch with a create span per message, linked by one CLIENT send span, that the jobs follow", async () => {
    const app = setupApp(otel, { jobs: [welcome], logger });
    await otel.tracer.startActiveSpan("POST /newsletters", async (request) => {
      await app.jobs.enqueueBatch(
        ["a", "b", "c"].map((userId) => ({ job: welcome, payload: { userId } })),
      );
      request.end();
    });
    const request = otel.span("POST /newsletters");
    const send = otel.span("send default");
    expect(send.kind).toBe(SpanKind.CLIENT);
    expect(send.attributes[ATTR.batchMessageCount]).toBe(3);
    expect(isChildOf(send, request)).toBe(true);
    const creates = otel.spans().filter((s) => s.name === "create default");
    expect(creates).toHaveLength(3);
    for (const create of creates) {
      expect(create.kind).toBe(SpanKind.PRODUCER);
      expect(isChildOf(create, request)).toBe(true);
    }
    expect(send.links.map((l) => l.context.spanId).sort()).toEqual(
      creates.map((c) => c.spanContext().spanId).sort(),
    );

    await app.runOnce();
    const processes = otel.spans().filter((s) => s.name === "process default");
    expect(processes).toHaveLength(3);
    for (const process of processes) {
      const create = creates.find((c) => isChildOf(process, c));
      expect(create).toBeDefined();
      expect(process.links.map((l) => l.context.spanId)).toContain(create?.spanContext().spanId);
    }
  });

  it("starts a new trace, without error, when meta has no or a broken traceparent", async () => {
    const app = setupApp(otel, { jobs: [welcome], logger });
    const body = (traceparent?: string) =>
      JSON.stringify({
        v: 1,
        id: `j-${traceparent ?? "none"}`,
        name: "send-welcome-email",
        payload: { userId: "x" },
        enqueuedAt: new Date().toISOString(),
        ...(traceparent !== undefined && { meta: { traceparent } }),
      });
    await app.driver.send([
      { queue: "default", body: body(), attributes: {} },
      { queue: "default", body: body("00-garbage"), attributes: {} },
      { queue: "default", body: body(`00-${"0".repeat(32)}-${"0".repeat(16)}-01`), attributes: {} },
    ]);
    const response = await app.runOnce();
    expect(response?.batchItemFailures).toEqual([]);
    const processes = otel.spans().filter((s) => s.name === "process default");
    expect(processes).toHaveLength(3);
    for (const process of processes) expect(process.parentSpanContext).toBeUndefined();
  });
});

describe("outcomes", () => {
  it("records one span per attempt with its attempt number and outcome", async () => {
    failures = 1;
    const app = setupApp(otel, { jobs: [flaky], logger });
    await app.jobs.enqueue(flaky, { n: 1 });
    expect((await app.runOnce())?.batchItemFailures).toHaveLength(1);
    app.clock.advance(1);
    expect((await app.runOnce())?.batchItemFailures).toEqual([]);

    const attempts = otel.spans().filter((s) => s.name === "process default");
    expect(
      attempts.map((s) => [s.attributes[ATTR.jobAttempt], s.attributes[ATTR.jobOutcome]]),
    ).toEqual([
      [1, "retry"],
      [2, "completed"],
    ]);
    const [failed] = attempts;
    expect(failed?.status).toEqual({ code: SpanStatusCode.ERROR, message: "upstream 503" });
    expect(failed?.attributes[ATTR.retryDelay]).toBe(1);
    expect(failed?.events.map((e) => e.name)).toEqual(["exception"]);
    expect(new Set(attempts.map((s) => s.parentSpanContext?.spanId)).size).toBe(1);
  });

  it("records dead-lettered and discarded outcomes as errors", async () => {
    const app = setupApp(otel, { jobs: [doomed, dropped], logger });
    await app.jobs.enqueue(doomed, { n: 1 });
    await app.jobs.enqueue(dropped, { n: 2 });
    expect((await app.runOnce())?.batchItemFailures).toEqual([]);
    const byJob = (name: string) =>
      otel.spans().find((s) => s.name === "process default" && s.attributes[ATTR.jobName] === name);
    expect(byJob("doomed")?.attributes).toMatchObject({
      [ATTR.jobOutcome]: "dead_letter",
      [ATTR.deadLetterReason]: "permanent",
      [ATTR.errorType]: "PermanentJobError",
    });
    expect(byJob("doomed")?.status.code).toBe(SpanStatusCode.ERROR);
    expect(byJob("dropped")?.attributes[ATTR.jobOutcome]).toBe("discarded");
    expect(byJob("dropped")?.status.code).toBe(SpanStatusCode.ERROR);
  });

  it("captures payloads only when asked", async () => {
    const app = setupApp(otel, { jobs: [welcome], logger }, { hooks: { capturePayload: true } });
    await app.jobs.enqueue(welcome, { userId: "u3" });
    await app.runOnce();
    expect(otel.span("process default").attributes[ATTR.jobPayload]).toBe('{"userId":"u3"}');
    expect(otel.span("send default").attributes[ATTR.jobPayload]).toBe('{"userId":"u3"}');
  });
});

describe("metrics", () => {
  it("records duration, outcomes, queue wait and sent messages", async () => {
    failures = 1;
    const app = setupApp(otel, { jobs: [flaky, welcome], logger });
    await app.jobs.enqueue(flaky, { n: 1 });
    await app.jobs.enqueue(welcome, { userId: "m" });
    await app.runOnce();

    const scope = (await otel.metrics()).scopeMetrics.find(
      (s) => s.scope.name === "@glasswork/otel",
    );
    const metric = (name: string) => scope?.metrics.find((m) => m.descriptor.name === name);

    const outcomes = metric(METRICS.outcomes);
    expect(outcomes?.descriptor.unit).toBe("{job}");
    const points = outcomes?.dataPoints.map((p) => [
      p.attributes[ATTR.jobName],
      p.attributes[ATTR.jobOutcome],
      p.value,
    ]);
    expect(points).toEqual(
      expect.arrayContaining([
        ["flaky", "retry", 1],
        ["send-welcome-email", "completed", 1],
      ]),
    );

    const duration = metric(METRICS.processDuration);
    expect(duration?.descriptor.unit).toBe("s");
    const counts = duration?.dataPoints.map((p) => [
      p.attributes[ATTR.jobName],
      p.attributes[ATTR.errorType],
      (p.value as { count: number }).count,
    ]);
    expect(counts).toEqual(
      expect.arrayContaining([
        ["flaky", "Error", 1],
        ["send-welcome-email", undefined, 1],
      ]),
    );

    const wait = metric(METRICS.queueWait);
    expect(wait?.descriptor.unit).toBe("s");
    expect(wait?.dataPoints.reduce((n, p) => n + (p.value as { count: number }).count, 0)).toBe(2);

    const sent = metric(METRICS.sentMessages);
    expect(sent?.dataPoints.reduce((n, p) => n + (p.value as number), 0)).toBe(2);
  });
});
