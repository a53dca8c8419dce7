import { JobService } from "@glasswork/core";
import { ManualClock, MockQueueDriver } from "@glasswork/driver-mock";
import { bootstrapWorker, messageToRecord, type WorkerOptions } from "@glasswork/worker";
import { context, propagation } from "@opentelemetry/api";
import { AsyncLocalStorageContextManager } from "@opentelemetry/context-async-hooks";
import {
  CompositePropagator,
  W3CBaggagePropagator,
  W3CTraceContextPropagator,
} from "@opentelemetry/core";
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
import type { OtelHooksOptions } from "./otel-options.js";

class TestMetricReader extends MetricReader {
  constructor() {
    super({ aggregationTemporalitySelector: () => AggregationTemporality.CUMULATIVE });
  }
  protected override async onForceFlush(): Promise<void> {}
  protected override async onShutdown(): Promise<void> {}
}

/** An SDK set up as an app would: W3C trace context and baggage, async context, in-memory exporters. */
export function setupOtel() {
  context.setGlobalContextManager(new AsyncLocalStorageContextManager().enable());
  propagation.setGlobalPropagator(
    new CompositePropagator({
      propagators: [new W3CTraceContextPropagator(), new W3CBaggagePropagator()],
    }),
  );
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

/** How {@link setupApp} wires the hooks. */
export interface TestAppOptions {
  /** Extra options of `createOtelHooks`. */
  readonly hooks?: OtelHooksOptions;
  /** Use the global providers instead of the test's (for late-registration tests). */
  readonly globalProviders?: boolean;
  /**
   * Logical → physical queue names the driver reports through `physicalQueueName`; the driver
   * is then given to the hooks.
   */
  readonly physicalNames?: Readonly<Record<string, string>>;
}

/** A mock driver, a JobService and a worker sharing one set of otel hooks. */
export function setupApp(
  otel: ReturnType<typeof setupOtel>,
  worker: Omit<WorkerOptions, "driver" | "hooks">,
  options: TestAppOptions = {},
) {
  // Starts at the real time, so queue-wait metrics stay meaningful.
  const clock = new ManualClock(Date.now());
  const driver = new MockQueueDriver({ clock });
  const { physicalNames } = options;
  if (physicalNames) {
    Object.assign(driver, {
      physicalQueueName: (queue: string) => physicalNames[queue] ?? queue,
    });
  }
  const hooks = createOtelHooks({
    ...(!options.globalProviders && {
      tracerProvider: otel.tracerProvider,
      meterProvider: otel.meterProvider,
    }),
    ...(physicalNames && { driver }),
    ...options.hooks,
  });
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
  /** Receives from `queue` and hands the batch to the worker as Lambda would, from `arnName`. */
  const runOnce = async (queue = "default", arnName = queue) => {
    const messages = await driver.receive(queue, { maxMessages: 10 });
    const event: SQSEvent = {
      Records: messages.map((m) =>
        messageToRecord(m, {
          eventSourceARN: `arn:aws:sqs:us-east-1:123456789012:${arnName}`,
          awsRegion: "us-east-1",
        }),
      ),
    };
    return handler(event, context);
  };
  return { driver, jobs, handler, runOnce, hooks, clock, context };
}
