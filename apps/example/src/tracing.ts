import { context, propagation, trace } from "@opentelemetry/api";
import { AsyncLocalStorageContextManager } from "@opentelemetry/context-async-hooks";
import {
  CompositePropagator,
  W3CBaggagePropagator,
  W3CTraceContextPropagator,
} from "@opentelemetry/core";
import { OTLPTraceExporter } from "@opentelemetry/exporter-trace-otlp-http";
import { resourceFromAttributes } from "@opentelemetry/resources";
import {
  BasicTracerProvider,
  BatchSpanProcessor,
  ConsoleSpanExporter,
  SimpleSpanProcessor,
  type SpanExporter,
  type SpanProcessor,
} from "@opentelemetry/sdk-trace-base";
import type { AppConfig } from "./config.js";

/** A registered tracer provider, or nothing when tracing is off. */
export interface Tracing {
  readonly provider: BasicTracerProvider | undefined;
  shutdown(): Promise<void>;
}

/**
 * Registers OpenTelemetry globally: `OTEL=console` prints spans, `OTEL_EXPORTER_OTLP_ENDPOINT`
 * sends them over OTLP/HTTP. `extra` adds a processor (tests use an in-memory exporter).
 */
export function setupTracing(config: AppConfig, extra?: SpanProcessor): Tracing {
  const processors: SpanProcessor[] = [];
  if (config.OTEL === "console")
    processors.push(new SimpleSpanProcessor(new ConsoleSpanExporter()));
  if (config.OTEL_EXPORTER_OTLP_ENDPOINT) {
    const exporter: SpanExporter = new OTLPTraceExporter({
      url: `${config.OTEL_EXPORTER_OTLP_ENDPOINT.replace(/\/$/, "")}/v1/traces`,
    });
    processors.push(new BatchSpanProcessor(exporter));
  }
  if (extra) processors.push(extra);
  if (processors.length === 0) return { provider: undefined, shutdown: async () => {} };

  const provider = new BasicTracerProvider({
    resource: resourceFromAttributes({ "service.name": "glasswork-example" }),
    spanProcessors: processors,
  });
  context.setGlobalContextManager(new AsyncLocalStorageContextManager().enable());
  // Baggage too: jobs see what the request that enqueued them had (from trusted callers only,
  // see traceRequests).
  propagation.setGlobalPropagator(
    new CompositePropagator({
      propagators: [new W3CTraceContextPropagator(), new W3CBaggagePropagator()],
    }),
  );
  trace.setGlobalTracerProvider(provider);
  return {
    provider,
    shutdown: async () => {
      await provider.shutdown();
      trace.disable();
      propagation.disable();
      context.disable();
    },
  };
}
