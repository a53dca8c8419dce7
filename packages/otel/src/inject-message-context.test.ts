import { defineJob, silentLogger } from "@glasswork/core";
import { context, propagation } from "@opentelemetry/api";
import * as v from "valibot";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { setupApp, setupOtel } from "./test-otel.js";

let otel: ReturnType<typeof setupOtel>;
beforeEach(() => {
  otel = setupOtel();
});
afterEach(async () => {
  await otel.shutdown();
});

const ping = defineJob({
  name: "ping",
  schema: v.object({ n: v.number() }),
  handler: () => {},
});
const logger = silentLogger;
const CALLER_TRACE = "4bf92f3577b34da6a3ce929d0e0e4736";
const CALLER_SPAN = "00f067aa0ba902b7";
const callerTraceparent = `00-${CALLER_TRACE}-${CALLER_SPAN}-01`;

describe("a caller's own trace context in meta", () => {
  it("is kept on enqueue: the job's span follows it, and the send span links it", async () => {
    const app = setupApp(otel, { jobs: [ping], logger });
    await otel.tracer.startActiveSpan("POST /ping", async (request) => {
      await app.jobs.enqueue(
        ping,
        { n: 1 },
        { meta: { traceparent: callerTraceparent, tracestate: "vendor=1" } },
      );
      request.end();
    });
    expect(app.driver.enqueued[0]?.meta).toMatchObject({
      traceparent: callerTraceparent,
      tracestate: "vendor=1",
    });
    const send = otel.span("send default");
    expect(send.links.map((l) => l.context.spanId)).toEqual([CALLER_SPAN]);

    await app.runOnce();
    const process = otel.span("process default");
    expect(process.spanContext().traceId).toBe(CALLER_TRACE);
    expect(process.parentSpanContext?.spanId).toBe(CALLER_SPAN);
  });

  it("is kept per message in a batch, and the send span links it in place of that message's create span", async () => {
    const app = setupApp(otel, { jobs: [ping], logger });
    await app.jobs.enqueueBatch([
      { job: ping, payload: { n: 1 }, options: { meta: { traceparent: callerTraceparent } } },
      { job: ping, payload: { n: 2 } },
    ]);
    const [own, ours] = app.driver.enqueued;
    expect(own?.meta?.traceparent).toBe(callerTraceparent);
    expect(ours?.meta?.traceparent).not.toContain(CALLER_SPAN);
    const send = otel.span("send default");
    const links = send.links.map((l) => l.context.spanId);
    expect(links).toHaveLength(2);
    expect(links).toContain(CALLER_SPAN);
  });

  it("still gets the baggage it lacks", async () => {
    const app = setupApp(otel, { jobs: [ping], logger });
    const withBaggage = propagation.setBaggage(
      context.active(),
      propagation.createBaggage({ tenant: { value: "t1" } }),
    );
    await context.with(withBaggage, () =>
      app.jobs.enqueue(ping, { n: 1 }, { meta: { traceparent: callerTraceparent } }),
    );
    expect(app.driver.enqueued[0]?.meta).toMatchObject({
      traceparent: callerTraceparent,
      baggage: "tenant=t1",
    });
  });
});
