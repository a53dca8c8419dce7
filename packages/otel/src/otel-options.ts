import type { EnqueueingJob, JobExecution, QueueDriver } from "@glasswork/core";
import type { Attributes, MeterProvider, TracerProvider } from "@opentelemetry/api";

/** Options of {@link createOtelHooks}. */
export interface OtelHooksOptions {
  /** Default: the global tracer provider. */
  tracerProvider?: TracerProvider;
  /**
   * Default: the global meter provider, read when a metric is recorded, so hooks created before
   * the SDK registers still record.
   */
  meterProvider?: MeterProvider;
  /**
   * The jobs this worker runs (the list given to `bootstrapWorker`). Job names come from message
   * bodies, which anyone allowed to send to the queue writes: names outside this list become
   * `_unknown` in metric attributes, span attributes and span names. Without it, a name counts
   * as known unless the worker ends the job as unknown (`UnknownJobError`), and is set on the
   * span when the job ends rather than when it starts.
   */
  jobs?: readonly { readonly name: string }[];
  /**
   * The driver, to name queues by their real (physical) name in `messaging.destination.name`:
   * used when it has a `physicalQueueName(queue)` method (see {@link QueueNaming}).
   */
  driver?: QueueDriver;
  /**
   * The real (physical) name of a queue as the producer or the worker names it (a logical name,
   * a physical name or a URL). Takes precedence over `driver`. Default: the driver's answer, else
   * a URL's last segment, else the name itself.
   */
  physicalQueueName?: (queue: string) => string;
  /** Name of a job's span. Default `process <queue>` (`periodic <job>` for periodic jobs). */
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

/**
 * What otel asks of a driver, beyond `QueueDriver`, to report a queue's real name. A driver that
 * maps logical names to queues implements it; the answer needs no I/O.
 */
export interface QueueNaming {
  /** The transport's own name of `queue` (SQS: the last segment of its URL), or `queue` itself. */
  physicalQueueName(queue: string): string;
}
