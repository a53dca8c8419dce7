import type { EnqueueEvent, EnqueueingJob, ProducerHooks } from "@glasswork/core";
import {
  type Attributes,
  context,
  type Link,
  type Span,
  SpanKind,
  SpanStatusCode,
  type Tracer,
  trace,
} from "@opentelemetry/api";
import { ATTR, MESSAGING_SYSTEM } from "./attributes.js";
import { callerSpanContext, injectMessageContext } from "./inject-message-context.js";
import type { Instruments } from "./instruments.js";
import type { OtelHooksOptions } from "./otel-options.js";
import { payloadAttribute } from "./payload-attribute.js";

/**
 * Producer hooks, per the messaging conventions. A single message: one `send <queue>` span
 * (kind PRODUCER), which is the message's creation context. Several messages: a `create <queue>`
 * span (PRODUCER) per message, which is that message's creation context, and one `send` span
 * (kind CLIENT) that links them. Contexts go into each envelope's `meta` through the global
 * propagator (W3C `traceparent` by default), never over a context the caller put there.
 */
export function createProducerOtelHooks(
  tracer: Tracer,
  instruments: () => Instruments,
  options: OtelHooksOptions,
  physicalName: (queue: string) => string,
): ProducerHooks {
  const spans = new WeakMap<EnqueueEvent, Span>();
  const spanName = options.producerSpanName ?? ((queue) => (queue ? `send ${queue}` : "send"));

  const messageAttributes = (job: EnqueueingJob): Attributes => ({
    [ATTR.jobName]: job.jobName,
    [ATTR.jobId]: job.jobId,
    [ATTR.queue]: job.queue,
    ...options.producerAttributes?.(job),
    ...(options.capturePayload && payloadAttribute(job.payload)),
  });

  return {
    onEnqueue(event) {
      const active = context.active();
      const queues = new Set(event.jobs.map((job) => physicalName(job.queue)));
      const queue = queues.size === 1 ? [...queues][0] : undefined;
      const base: Attributes = {
        [ATTR.messagingSystem]: MESSAGING_SYSTEM,
        ...(queue !== undefined && { [ATTR.destinationName]: queue }),
      };

      const [single] = event.jobs;
      if (single && event.jobs.length === 1) {
        const caller = callerSpanContext(single.meta);
        const send = tracer.startSpan(
          spanName(queue),
          {
            kind: SpanKind.PRODUCER,
            ...(caller && { links: [{ context: caller }] }),
            attributes: {
              ...base,
              [ATTR.operationType]: "send",
              [ATTR.operationName]: "send",
              ...messageAttributes(single),
            },
          },
          active,
        );
        spans.set(event, send);
        injectMessageContext(trace.setSpan(active, send), single.meta, caller);
        return;
      }

      const links: Link[] = [];
      for (const job of event.jobs) {
        const caller = callerSpanContext(job.meta);
        const destination = physicalName(job.queue);
        const create = tracer.startSpan(
          `create ${destination}`,
          {
            kind: SpanKind.PRODUCER,
            ...(caller && { links: [{ context: caller }] }),
            attributes: {
              [ATTR.messagingSystem]: MESSAGING_SYSTEM,
              [ATTR.destinationName]: destination,
              [ATTR.operationType]: "create",
              [ATTR.operationName]: "create",
              ...messageAttributes(job),
            },
          },
          active,
        );
        injectMessageContext(trace.setSpan(active, create), job.meta, caller);
        links.push({ context: caller ?? create.spanContext() });
        create.end();
      }
      // CLIENT, not PRODUCER: this span is no message's creation context.
      const send = tracer.startSpan(
        spanName(queue),
        {
          kind: SpanKind.CLIENT,
          links,
          attributes: {
            ...base,
            [ATTR.operationType]: "send",
            [ATTR.operationName]: "send",
            [ATTR.batchMessageCount]: event.jobs.length,
          },
        },
        active,
      );
      spans.set(event, send);
    },

    onEnqueued(event, results) {
      const span = spans.get(event);
      if (!span) return;
      spans.delete(event);
      const { sentMessages } = instruments();
      let failed = 0;
      results.forEach((result, i) => {
        const job = event.jobs[i];
        const errorType = result.ok ? undefined : result.error.name;
        sentMessages.add(1, {
          [ATTR.messagingSystem]: MESSAGING_SYSTEM,
          [ATTR.operationName]: "send",
          ...(job && {
            [ATTR.destinationName]: physicalName(job.queue),
            [ATTR.jobName]: job.jobName,
          }),
          ...(errorType !== undefined && { [ATTR.errorType]: errorType }),
        });
        if (!result.ok) {
          failed++;
          span.recordException(result.error);
        }
      });
      const [first] = results;
      if (event.jobs.length === 1 && first?.ok)
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
