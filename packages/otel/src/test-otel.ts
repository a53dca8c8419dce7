import { JobService } from "@glasswork/core";
import { ManualClock, MockQueueDriver } from "@glasswork/driver-mock";
import { bootstrapWorker, messageToRecord, type WorkerOptions } from "@glasswork/worker";
import { context, propagation } from "@opentelemetry/api";
import { AsyncLocalStorageContextManager } from "@opentelemetry/context-async-hooks";
import { W3CTraceContextPropagator } from "@opentelemetry/core";
import {
  AggregationTemporality,
  MeterProvider,
  MetricReader,
  type ResourceMetrics,
} from "@opentelemetry/sdk-metrics";
import {
  BasicTracerProvider,
  InMemorySpanExporter,
  type ReadableSpan,
  SimpleSpanProcessor,
} from "@opentelemetry/sdk-trace-base";
import type { Context, SQSEvent } from "aws-lambda";
import { createOtelHooks } from "./create-otel-hooks.js";

class TestMetricReader extends MetricReader {
  constructor() {
    super({ aggregationTemporalitySelector: () => AggregationTemporality.CUMULATIVE });
  }
  protected override async onForceFlush(): Promise<void> {}
  protected override async onShutdown(): Promise<void> {}
}

/** An SDK set up as an app would: W3C propagation, async context, in-memory exporters. */
export function setupOtel() {
  context.setGlobalContextManager(new AsyncLocalStorageContextManager().enable());
  propagation.setGlobalPropagator(new W3CTraceContextPropagator());
  const exporter = new InMemorySpanExporter();
  const tracerProvider = new BasicTracerProvider({
    spanProcessors: [new SimpleSpanProcessor(exporter)],
  });
  const reader = new TestMetricReader();
  const meterProvider = new MeterProvider({ readers: [reader] });
  const tracer = tracerProvider.getTracer("test");
  return {
    tracer,
    tracerProvider,
    meterProvider,
    spans: () => exporter.getFinishedSpans(),
    span: (name: string): ReadableSpan => {
      const found = exporter.getFinishedSpans().find((s) => s.name === name);
      if (!found)
        throw new Error(
          `no span named "${name}" in ${exporter
            .getFinishedSpans()
            .map((s) => s.name)
            .join(", ")}`,
        );
      return found;
    },
    metrics: async (): Promise<ResourceMetrics> => (await reader.collect()).resourceMetrics,
    reset: () => exporter.reset(),
    shutdown: async () => {
      context.disable();
      propagation.disable();
      await tracerProvider.shutdown();
      await meterProvider.shutdown();
    },
  };
}

/** A mock driver, a JobService and a worker sharing one set of otel hooks. */
export function setupApp(
  otel: ReturnType<typeof setupOtel>,
  worker: Omit<WorkerOptions, "driver" | "hooks">,
  capturePayload = false,
) {
  const hooks = createOtelHooks({
    tracerProvider: otel.tracerProvider,
    meterProvider: otel.meterProvider,
    capturePayload,
  });
  // Starts at the real time, so queue-wait metrics stay meaningful.
  const clock = new ManualClock(Date.now());
  const driver = new MockQueueDriver({ clock });
  const now = () => clock.now();
  const jobs = new JobService(driver, { hooks: [hooks.producer], now });
  const handler = bootstrapWorker({
    ...worker,
    driver,
    hooks: [hooks.worker],
    random: () => 0.5,
    now,
  });
  const context = { getRemainingTimeInMillis: () => 60_000, awsRequestId: "req-1" } as Context;
  const runOnce = async (queue = "default") => {
    const messages = await driver.receive(queue, { maxMessages: 10 });
    const event: SQSEvent = {
      Records: messages.map((m) =>
        messageToRecord(m, {
          eventSourceARN: `arn:aws:sqs:us-east-1:123456789012:${queue}`,
          awsRegion: "us-east-1",
        }),
      ),
    };
    return handler(event, context);
  };
  return { driver, jobs, handler, runOnce, hooks, clock };
}
