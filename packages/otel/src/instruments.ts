import { type Counter, type Histogram, type MeterProvider, metrics } from "@opentelemetry/api";
import { METRICS } from "./attributes.js";

const SCOPE = "@glasswork/otel";

/** The metric instruments, created once per hooks instance. */
export interface Instruments {
  readonly processDuration: Histogram;
  readonly outcomes: Counter;
  readonly queueWait: Histogram;
  readonly sentMessages: Counter;
}

/** Creates the instruments on the given or the global meter provider. */
export function createInstruments(provider: MeterProvider | undefined): Instruments {
  const meter = (provider ?? metrics.getMeterProvider()).getMeter(SCOPE);
  return {
    processDuration: meter.createHistogram(METRICS.processDuration, {
      description: "Duration of processing operation (running a job's handler)",
      unit: "s",
    }),
    outcomes: meter.createCounter(METRICS.outcomes, {
      description: "Jobs that ended an attempt, by job name and outcome",
      unit: "{job}",
    }),
    queueWait: meter.createHistogram(METRICS.queueWait, {
      description: "Time from enqueue to the start of an attempt",
      unit: "s",
    }),
    sentMessages: meter.createCounter(METRICS.sentMessages, {
      description: "Number of messages producers attempted to send",
      unit: "{message}",
    }),
  };
}

/** The tracer's instrumentation scope name. */
export const TRACER_SCOPE = SCOPE;
