import {
  context,
  type Link,
  propagation,
  SpanKind,
  SpanStatusCode,
  trace,
} from "@opentelemetry/api";
import type { MiddlewareHandler } from "hono";
import { routePath } from "hono/route";

/** Options of {@link traceRequests}. */
export interface TraceRequestsOptions {
  /**
   * Continue the caller's trace (and take its baggage) from `traceparent`/`baggage` headers.
   * Default `false`: this API faces the internet, where anyone can send those headers to pick
   * trace ids, attach to other traces, or smuggle baggage into every job the request enqueues.
   * Turn it on only behind a proxy that sets or strips them.
   */
  readonly trustIncomingTraceContext?: boolean;
}

/**
 * A SERVER span per request, named after the route template (`GET /accounts/:id`, never the
 * raw path, which would make one name per id), active while the route runs so that the jobs it
 * enqueues share its trace. An untrusted incoming trace context is only linked.
 */
export function traceRequests(options: TraceRequestsOptions = {}): MiddlewareHandler {
  const tracer = trace.getTracer("glasswork-example-http");
  return async (c, next) => {
    const incoming = propagation.extract(context.active(), Object.fromEntries(c.req.raw.headers));
    const incomingSpan = trace.getSpanContext(incoming);
    const trusted = options.trustIncomingTraceContext === true;
    const links: Link[] =
      !trusted && incomingSpan && trace.isSpanContextValid(incomingSpan)
        ? [{ context: incomingSpan }]
        : [];
    await tracer.startActiveSpan(
      c.req.method,
      {
        kind: SpanKind.SERVER,
        links,
        attributes: { "http.request.method": c.req.method, "url.path": c.req.path },
      },
      trusted ? incoming : context.active(),
      async (span) => {
        try {
          await next();
        } finally {
          // The last matched route is the handler's; only this middleware matched on a 404.
          const route = routePath(c, -1);
          if (route && route !== "/*") {
            span.updateName(`${c.req.method} ${route}`);
            span.setAttribute("http.route", route);
          }
          span.setAttribute("http.response.status_code", c.res.status);
          if (c.res.status >= 500) span.setStatus({ code: SpanStatusCode.ERROR });
          span.end();
        }
      },
    );
  };
}
