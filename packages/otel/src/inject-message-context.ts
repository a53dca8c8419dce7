import {
  type Context,
  propagation,
  ROOT_CONTEXT,
  type SpanContext,
  trace,
} from "@opentelemetry/api";

/** The span context a caller put in a message's `meta` itself, if it is a valid one. */
export function callerSpanContext(meta: Readonly<Record<string, string>>): SpanContext | undefined {
  if (Object.keys(meta).length === 0) return undefined;
  const found = trace.getSpanContext(propagation.extract(ROOT_CONTEXT, meta));
  return found && trace.isSpanContextValid(found) ? found : undefined;
}

/**
 * Writes `ctx` into `meta` through the global propagator without replacing what the caller
 * wrote: when `meta` already carries a trace context, that one stays the message's creation
 * context (the caller knows better where the message comes from), and only keys it lacks, such
 * as baggage, are added.
 */
export function injectMessageContext(
  ctx: Context,
  meta: Record<string, string>,
  caller: SpanContext | undefined,
): void {
  const carrier: Record<string, string> = {};
  propagation.inject(caller ? trace.setSpanContext(ctx, caller) : ctx, carrier);
  for (const [key, value] of Object.entries(carrier)) {
    if (!Object.hasOwn(meta, key)) meta[key] = value;
  }
}
