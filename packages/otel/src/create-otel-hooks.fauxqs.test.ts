import { defineJob, JobService, silentLogger } from "@glasswork/core";
import { SQSQueueDriver } from "@glasswork/driver-sqs";
import { bootstrapWorker, startPoller } from "@glasswork/worker";
import { SpanKind, trace } from "@opentelemetry/api";
import { afterAll, beforeAll, expect, it } from "vitest";
import { type FauxqsTestServer, startFauxqsTestServer } from "../../driver-sqs/src/test-fauxqs.js";
import { createOtelHooks } from "./create-otel-hooks.js";
import { setupOtel } from "./test-otel.js";

let sqs: FauxqsTestServer;
let otel: ReturnType<typeof setupOtel>;
beforeAll(async () => {
  sqs = await startFauxqsTestServer();
  otel = setupOtel();
});
afterAll(async () => {
  await otel.shutdown();
  await sqs.stop();
});

it("carries one trace from an HTTP request span through SQS (fauxqs) to the job and its child spans, under the queue's physical name on both sides", async () => {
  const { queue } = await sqs.createQueueSet("otel");
  trace.setGlobalTracerProvider(otel.tracerProvider);
  const done: string[] = [];
  const report = defineJob<{ reportId: string }>({
    name: "build-report",
    handler: async ({ reportId }) => {
      await trace.getTracer("app").startActiveSpan("query rows", async (span) => {
        span.end();
      });
      done.push(reportId);
    },
  });
  const physical = queue.url.slice(queue.url.lastIndexOf("/") + 1);
  const driver = new SQSQueueDriver({ ...sqs.clientConfig, queues: { reports: queue.url } });
  const hooks = createOtelHooks({
    tracerProvider: otel.tracerProvider,
    meterProvider: otel.meterProvider,
    jobs: [report],
    // Until the SQS driver reports physical names itself (QueueNaming), the URL map tells.
    physicalQueueName: (name) => (name === "reports" ? physical : name),
  });
  const jobs = new JobService(driver, { hooks: [hooks.producer] });
  const handler = bootstrapWorker({
    jobs: [report],
    driver,
    hooks: [hooks.worker],
    logger: silentLogger,
  });

  await otel.tracer.startActiveSpan("POST /reports", { kind: SpanKind.SERVER }, async (request) => {
    await jobs.enqueue(report, { reportId: "r1" }, { queue: "reports" });
    request.end();
  });
  const poller = startPoller({
    handler,
    driver,
    queue: "reports",
    waitTimeSeconds: 1,
    stopOnSignals: [],
    logger: silentLogger,
  });
  try {
    const deadline = Date.now() + 10_000;
    while (!otel.spans().some((s) => s.name === "query rows") && Date.now() < deadline) {
      await new Promise((resolve) => setTimeout(resolve, 50));
    }
  } finally {
    await poller.stop();
    await driver.dispose();
    trace.disable();
  }

  expect(done).toEqual(["r1"]);
  const request = otel.span("POST /reports");
  const send = otel.span(`send ${physical}`);
  const process = otel.span(`process ${physical}`);
  const query = otel.span("query rows");
  expect(send.parentSpanContext?.spanId).toBe(request.spanContext().spanId);
  expect(process.parentSpanContext?.spanId).toBe(send.spanContext().spanId);
  expect(query.parentSpanContext?.spanId).toBe(process.spanContext().spanId);
  expect(new Set([request, send, process, query].map((s) => s.spanContext().traceId)).size).toBe(1);
  expect(physical).not.toBe("reports");
  expect(send.attributes).toMatchObject({
    "messaging.destination.name": physical,
    "glasswork.queue": "reports",
  });
  expect(process.attributes).toMatchObject({
    "messaging.system": "aws_sqs",
    "messaging.destination.name": physical,
    "glasswork.job.outcome": "completed",
    "glasswork.job.attempt": 1,
  });
}, 20_000);
