import type { JobExecution, JobOutcome, WorkerHooks } from "@glasswork/worker";
import {
  type Attributes,
  context,
  type Link,
  propagation,
  ROOT_CONTEXT,
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
 * Worker hooks: a `process <queue>` span (kind CONSUMER) per attempt, child of the producer's
 * context from the envelope's `meta`, active while the handler runs; plus the job metrics.
 */
export function createWorkerOtelHooks(
  tracer: Tracer,
  instruments: Instruments,
  options: OtelHooksOptions,
): WorkerHooks {
  const spanName =
    options.consumerSpanName ?? ((execution: JobExecution) => `process ${execution.queue}`);

  return {
    async aroundJob(execution, run) {
      const active = context.active();
      const producer = propagation.extract(ROOT_CONTEXT, execution.meta);
      const producerSpan = trace.getSpanContext(producer);
      const hasProducer = producerSpan !== undefined && trace.isSpanContextValid(producerSpan);
      // The producer is the parent; an active invocation span (e.g. Lambda instrumentation)
      // is linked, so that both traces lead here.
      const activeSpan = trace.getSpanContext(active);
      const links: Link[] =
        hasProducer && activeSpan && trace.isSpanContextValid(activeSpan)
          ? [{ context: activeSpan }]
          : [];
      const common = commonAttributes(execution);
      const span = tracer.startSpan(
        spanName(execution),
        {
          kind: SpanKind.CONSUMER,
          links,
          attributes: {
            ...common,
            [ATTR.messageId]: execution.messageId,
            [ATTR.operationType]: "process",
            [ATTR.jobId]: execution.jobId,
            [ATTR.jobAttempt]: execution.attempt,
            ...options.consumerAttributes?.(execution),
            ...(options.capturePayload && payloadAttribute(execution.payload)),
          },
        },
        hasProducer ? producer : active,
      );
      const waitSeconds = (Date.now() - execution.enqueuedAt.getTime()) / 1000;
      if (Number.isFinite(waitSeconds))
        instruments.queueWait.record(Math.max(0, waitSeconds), common);

      let outcome: JobOutcome | undefined;
      try {
        outcome = await context.with(trace.setSpan(active, span), run);
        return outcome;
      } finally {
        finish(span, outcome, instruments, common);
      }
    },
  };
}

function commonAttributes(execution: JobExecution): Attributes {
  return {
    [ATTR.messagingSystem]: MESSAGING_SYSTEM,
    [ATTR.destinationName]: execution.queue,
    [ATTR.operationName]: "process",
    [ATTR.jobName]: execution.jobName,
  };
}

function finish(
  span: ReturnType<Tracer["startSpan"]>,
  outcome: JobOutcome | undefined,
  instruments: Instruments,
  common: Attributes,
): void {
  const status = outcome?.status ?? "deferred";
  span.setAttribute(ATTR.jobOutcome, status);
  if (outcome?.retryDelaySeconds !== undefined)
    span.setAttribute(ATTR.retryDelay, outcome.retryDelaySeconds);
  if (outcome?.deadLetterReason !== undefined)
    span.setAttribute(ATTR.deadLetterReason, outcome.deadLetterReason);
  const error = outcome?.error;
  const errorType =
    error === undefined ? undefined : error instanceof Error ? error.name : "_OTHER";
  if (error !== undefined) {
    span.recordException(error instanceof Error ? error : String(error));
    span.setStatus({
      code: SpanStatusCode.ERROR,
      message: error instanceof Error ? error.message : String(error),
    });
    span.setAttribute(ATTR.errorType, errorType ?? "_OTHER");
  }
  span.end();
  const withError = errorType === undefined ? common : { ...common, [ATTR.errorType]: errorType };
  if (outcome?.durationMs !== undefined)
    instruments.processDuration.record(outcome.durationMs / 1000, withError);
  instruments.outcomes.add(1, { ...common, [ATTR.jobOutcome]: status });
}
