import type { EnqueueEvent, ProducerHooks } from "@glasswork/core";
import {
  context,
  propagation,
  type Span,
  SpanKind,
  SpanStatusCode,
  type Tracer,
  trace,
} from "@opentelemetry/api";
import { ATTR, MESSAGING_SYSTEM } from "./attributes.js";
import type { Instruments } from "./instruments.js";
import type { OtelHooksOptions } from "./otel-options.js";
import { payloadAttribute } from "./payload-attribute.js";

/**
 * Producer hooks: a `send <queue>` span (kind PRODUCER) per `enqueue`, or one covering an
 * `enqueueBatch` with a `create <queue>` span per message; each message's context goes into
 * its envelope's `meta` through the global propagator (W3C `traceparent` by default).
 */
export function createProducerOtelHooks(
  tracer: Tracer,
  instruments: Instruments,
  options: OtelHooksOptions,
): ProducerHooks {
  const spans = new WeakMap<EnqueueEvent, Span>();
  const spanName = options.producerSpanName ?? ((queue) => (queue ? `send ${queue}` : "send"));

  return {
    onEnqueue(event) {
      const queues = new Set(event.jobs.map((job) => job.queue));
      const queue = queues.size === 1 ? [...queues][0] : undefined;
      const single = event.operation === "enqueue" ? event.jobs[0] : undefined;
      const send = tracer.startSpan(spanName(queue), {
        kind: SpanKind.PRODUCER,
        attributes: {
          [ATTR.messagingSystem]: MESSAGING_SYSTEM,
          [ATTR.operationType]: "send",
          [ATTR.operationName]: "send",
          ...(queue !== undefined && { [ATTR.destinationName]: queue }),
          ...(single
            ? {
                [ATTR.jobName]: single.jobName,
                [ATTR.jobId]: single.jobId,
                ...options.producerAttributes?.(single),
                ...(options.capturePayload && payloadAttribute(single.payload)),
              }
            : { [ATTR.batchMessageCount]: event.jobs.length }),
        },
      });
      spans.set(event, send);
      const sendContext = trace.setSpan(context.active(), send);
      if (single) {
        propagation.inject(sendContext, single.meta);
        return;
      }
      for (const job of event.jobs) {
        const create = tracer.startSpan(
          `create ${job.queue}`,
          {
            kind: SpanKind.PRODUCER,
            attributes: {
              [ATTR.messagingSystem]: MESSAGING_SYSTEM,
              [ATTR.destinationName]: job.queue,
              [ATTR.operationType]: "create",
              [ATTR.operationName]: "create",
              [ATTR.jobName]: job.jobName,
              [ATTR.jobId]: job.jobId,
              ...options.producerAttributes?.(job),
              ...(options.capturePayload && payloadAttribute(job.payload)),
            },
          },
          sendContext,
        );
        propagation.inject(trace.setSpan(sendContext, create), job.meta);
        create.end();
      }
    },

    onEnqueued(event, results) {
      const span = spans.get(event);
      if (!span) return;
      spans.delete(event);
      let failed = 0;
      results.forEach((result, i) => {
        const job = event.jobs[i];
        const errorType = result.ok ? undefined : result.error.name;
        instruments.sentMessages.add(1, {
          [ATTR.messagingSystem]: MESSAGING_SYSTEM,
          [ATTR.operationName]: "send",
          ...(job && { [ATTR.destinationName]: job.queue, [ATTR.jobName]: job.jobName }),
          ...(errorType !== undefined && { [ATTR.errorType]: errorType }),
        });
        if (!result.ok) {
          failed++;
          span.recordException(result.error);
        }
      });
      const [first] = results;
      if (event.operation === "enqueue" && first?.ok)
        span.setAttribute(ATTR.messageId, first.value.messageId);
      if (failed > 0) {
        const firstError = results.find((r) => !r.ok);
        span.setStatus({
          code: SpanStatusCode.ERROR,
          message: `${failed} of ${results.length} messages failed${firstError && !firstError.ok ? `: ${firstError.error.message}` : ""}`,
        });
        if (firstError && !firstError.ok) span.setAttribute(ATTR.errorType, firstError.error.name);
      }
      span.end();
    },
  };
}
