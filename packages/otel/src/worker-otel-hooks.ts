import type { JobExecution, JobOutcome, WorkerHooks } from "@glasswork/core";
import {
  type Attributes,
  context,
  type Link,
  propagation,
  ROOT_CONTEXT,
  SpanKind,
  type Tracer,
  trace,
} from "@opentelemetry/api";
import { ATTR, MESSAGING_SYSTEM, UNKNOWN_JOB_NAME } from "./attributes.js";
import { endJobSpan } from "./end-job-span.js";
import type { Instruments } from "./instruments.js";
import { type KnownJobNames, knownJobNames } from "./known-job-names.js";
import type { OtelHooksOptions } from "./otel-options.js";
import { payloadAttribute } from "./payload-attribute.js";
import { withMessageBaggage } from "./with-message-baggage.js";

/**
 * Worker hooks: a `process <queue>` span (kind CONSUMER) per attempt, child of and linked to the
 * message's creation context from the envelope's `meta`, active while the handler runs with the
 * message's baggage; plus the job metrics. Periodic runs, which come from a schedule and not
 * from a queue, get a `periodic <job>` span without messaging attributes.
 */
export function createWorkerOtelHooks(
  tracer: Tracer,
  instruments: () => Instruments,
  options: OtelHooksOptions,
  physicalName: (queue: string) => string,
): WorkerHooks {
  const names = knownJobNames(options);
  return {
    aroundJob(execution, run) {
      return execution.kind === "periodic"
        ? runPeriodic(tracer, instruments, options, execution, run)
        : runQueued(tracer, instruments, options, names, physicalName, execution, run);
    },
  };
}

async function runQueued(
  tracer: Tracer,
  instruments: () => Instruments,
  options: OtelHooksOptions,
  names: KnownJobNames,
  physicalName: (queue: string) => string,
  execution: JobExecution,
  run: () => Promise<JobOutcome>,
): Promise<JobOutcome> {
  const active = context.active();
  const extracted = propagation.extract(ROOT_CONTEXT, execution.meta);
  const creation = trace.getSpanContext(extracted);
  const hasCreation = creation !== undefined && trace.isSpanContextValid(creation);
  // The creation context is the parent and a link (the conventions ask for the link; the
  // parent keeps single-message traces in one piece). An active invocation span (e.g. Lambda
  // instrumentation) is linked too, so that both traces lead here.
  const links: Link[] = hasCreation ? [{ context: creation }] : [];
  const activeSpan = trace.getSpanContext(active);
  if (hasCreation && activeSpan && trace.isSpanContextValid(activeSpan))
    links.push({ context: activeSpan });

  const destination = physicalName(execution.queue);
  const common: Attributes = {
    [ATTR.messagingSystem]: MESSAGING_SYSTEM,
    [ATTR.destinationName]: destination,
    [ATTR.operationName]: "process",
  };
  const knownName = names.beforeRun(execution.jobName);
  const spanName = (jobName: string) =>
    options.consumerSpanName?.({ ...execution, jobName }) ?? `process ${destination}`;
  const span = tracer.startSpan(
    spanName(knownName ?? UNKNOWN_JOB_NAME),
    {
      kind: SpanKind.CONSUMER,
      links,
      attributes: {
        ...common,
        [ATTR.messageId]: execution.messageId,
        [ATTR.operationType]: "process",
        [ATTR.jobId]: execution.jobId,
        [ATTR.jobAttempt]: execution.attempt,
        ...(knownName !== undefined && { [ATTR.jobName]: knownName }),
        ...(execution.queue !== destination && { [ATTR.queue]: execution.queue }),
        ...options.consumerAttributes?.(execution),
        ...(options.capturePayload && payloadAttribute(execution.payload)),
      },
    },
    hasCreation ? extracted : active,
  );
  const waitSeconds = (Date.now() - execution.enqueuedAt.getTime()) / 1000;

  let outcome: JobOutcome | undefined;
  try {
    outcome = await context.with(trace.setSpan(withMessageBaggage(active, extracted), span), run);
    return outcome;
  } finally {
    const jobName = knownName ?? names.afterRun(execution.jobName, outcome);
    if (knownName === undefined) {
      span.setAttribute(ATTR.jobName, jobName);
      if (options.consumerSpanName) span.updateName(spanName(jobName));
    }
    const { status, errorType } = endJobSpan(span, outcome);
    const attributes = { ...common, [ATTR.jobName]: jobName };
    const metrics = instruments();
    if (Number.isFinite(waitSeconds))
      metrics.queueWait.record(Math.max(0, waitSeconds), attributes);
    if (outcome?.durationMs !== undefined)
      metrics.processDuration.record(
        outcome.durationMs / 1000,
        errorType === undefined ? attributes : { ...attributes, [ATTR.errorType]: errorType },
      );
    metrics.outcomes.add(1, { ...attributes, [ATTR.jobOutcome]: status });
  }
}

async function runPeriodic(
  tracer: Tracer,
  instruments: () => Instruments,
  options: OtelHooksOptions,
  execution: JobExecution,
  run: () => Promise<JobOutcome>,
): Promise<JobOutcome> {
  const active = context.active();
  // The worker runs hooks only for periodic jobs it has: the name is known.
  const span = tracer.startSpan(
    options.consumerSpanName?.(execution) ?? `periodic ${execution.jobName}`,
    {
      kind: SpanKind.INTERNAL,
      attributes: {
        [ATTR.faasTrigger]: "timer",
        [ATTR.jobName]: execution.jobName,
        [ATTR.jobId]: execution.jobId,
        [ATTR.jobAttempt]: execution.attempt,
        ...options.consumerAttributes?.(execution),
        ...(options.capturePayload && payloadAttribute(execution.payload)),
      },
    },
    active,
  );
  let outcome: JobOutcome | undefined;
  try {
    outcome = await context.with(trace.setSpan(active, span), run);
    return outcome;
  } finally {
    const { status } = endJobSpan(span, outcome);
    instruments().outcomes.add(1, {
      [ATTR.jobName]: execution.jobName,
      [ATTR.jobOutcome]: status,
    });
  }
}
