import type { EnqueueingJob } from "@glasswork/core";
import type { JobExecution } from "@glasswork/worker";
import type { Attributes, MeterProvider, TracerProvider } from "@opentelemetry/api";

/** Options of {@link createOtelHooks}. */
export interface OtelHooksOptions {
  /** Default: the global tracer provider. */
  tracerProvider?: TracerProvider;
  /** Default: the global meter provider. */
  meterProvider?: MeterProvider;
  /** Name of a job's span. Default `process <queue>`. */
  consumerSpanName?: (execution: JobExecution) => string;
  /** Name of a send span. Default `send <queue>`. */
  producerSpanName?: (queue: string | undefined) => string;
  /** Extra attributes on a job's span. */
  consumerAttributes?: (execution: JobExecution) => Attributes;
  /** Extra attributes on a message's producer span. */
  producerAttributes?: (job: EnqueueingJob) => Attributes;
  /**
   * Record payloads as a span attribute (`glasswork.job.payload`, JSON, cut at 4 KiB). Default
   * `false`: payloads may hold personal data.
   */
  capturePayload?: boolean;
}
