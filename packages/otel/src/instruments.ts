import { type Counter, type Histogram, type MeterProvider, metrics } from "@opentelemetry/api";
import { METRICS } from "./attributes.js";

const SCOPE = "@glasswork/otel";

/** The metric instruments of one meter provider. */
export interface Instruments {
  readonly processDuration: Histogram;
  readonly outcomes: Counter;
  readonly queueWait: Histogram;
  readonly sentMessages: Counter;
}

/**
 * Returns a getter of the instruments on the given or the global meter provider. The global
 * provider is read at each use, not at creation: unlike traces, the metrics API has no proxy
 * provider, so instruments taken before the SDK registers would record into a no-op forever.
 */
export function createInstruments(provider: MeterProvider | undefined): () => Instruments {
  let resolvedFor: MeterProvider | undefined;
  let instruments: Instruments | undefined;
  return () => {
    const current = provider ?? metrics.getMeterProvider();
    if (instruments === undefined || current !== resolvedFor) {
      instruments = instrumentsOf(current);
      resolvedFor = current;
    }
    return instruments;
  };
}

function instrumentsOf(provider: MeterProvider): Instruments {
  const meter = provider.getMeter(SCOPE);
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
