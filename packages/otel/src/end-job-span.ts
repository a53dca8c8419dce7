import type { JobOutcome } from "@glasswork/core";
import { type Span, SpanStatusCode } from "@opentelemetry/api";
import { ATTR } from "./attributes.js";

/**
 * Records a job's outcome on its span and ends it: status ERROR with the exception for every
 * failure. Returns the outcome's status and `error.type` (undefined without an error).
 */
export function endJobSpan(
  span: Span,
  outcome: JobOutcome | undefined,
): { status: string; errorType: string | undefined } {
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
  return { status, errorType };
}
