import type { ProducerHooks, WorkerHooks } from "@glasswork/core";
import { trace } from "@opentelemetry/api";
import { createInstruments, TRACER_SCOPE } from "./instruments.js";
import type { OtelHooksOptions } from "./otel-options.js";
import { physicalQueueNamer } from "./physical-queue-namer.js";
import { createProducerOtelHooks } from "./producer-otel-hooks.js";
import { createWorkerOtelHooks } from "./worker-otel-hooks.js";

/** Hooks for both sides of the queue. */
export interface OtelHooks {
  /** For `new JobService(driver, { hooks: [otel.producer] })`. */
  readonly producer: ProducerHooks;
  /** For `bootstrapWorker({ hooks: [otel.worker] })`. */
  readonly worker: WorkerHooks;
}

/**
 * Traces and metrics from the request that enqueues to the worker that runs the job, through
 * `@opentelemetry/api` only: bring your own SDK and exporter. Safe to call before the SDK
 * registers: spans and instruments resolve the global providers when they are used.
 *
 * @example
 * // given: sendWelcomeEmail, driver, JobService, bootstrapWorker
 * const otel = createOtelHooks({ jobs: [sendWelcomeEmail], driver });
 * const jobs = new JobService(driver, { hooks: [otel.producer] });
 * export const handler = bootstrapWorker({ jobs: [sendWelcomeEmail], driver, hooks: [otel.worker] });
 */
export function createOtelHooks(options: OtelHooksOptions = {}): OtelHooks {
  // The global tracer provider is a proxy: a tracer taken now delegates once the SDK registers.
  const tracer = (options.tracerProvider ?? trace.getTracerProvider()).getTracer(TRACER_SCOPE);
  const instruments = createInstruments(options.meterProvider);
  const physicalName = physicalQueueNamer(options);
  return {
    producer: createProducerOtelHooks(tracer, instruments, options, physicalName),
    worker: createWorkerOtelHooks(tracer, instruments, options, physicalName),
  };
}
