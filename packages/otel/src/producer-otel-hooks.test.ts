import { defineJob, silentLogger } from "@glasswork/core";
import { SpanKind } from "@opentelemetry/api";
import * as v from "valibot";
import { afterEach, beforeEach, expect, it } from "vitest";
import { ATTR } from "./attributes.js";
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

it("treats an enqueueBatch of one message as a single send: PRODUCER, no create span", async () => {
  const app = setupApp(otel, { jobs: [ping], logger });
  await app.jobs.enqueueBatch([{ job: ping, payload: { n: 1 } }]);
  const send = otel.span("send default");
  expect(send.kind).toBe(SpanKind.PRODUCER);
  expect(send.attributes[ATTR.batchMessageCount]).toBeUndefined();
  expect(send.attributes[ATTR.jobName]).toBe("ping");
  expect(otel.spans().filter((s) => s.name.startsWith("create"))).toEqual([]);
  expect(app.driver.enqueued[0]?.meta?.traceparent).toContain(send.spanContext().spanId);
});

it("records the logical queue as glasswork.queue and names the batch send after its single queue", async () => {
  const app = setupApp(otel, { jobs: [ping], logger });
  await app.jobs.enqueueBatch([
    { job: ping, payload: { n: 1 } },
    { job: ping, payload: { n: 2 }, options: { queue: "other" } },
  ]);
  // Two queues: the send span has no single destination.
  const send = otel.span("send");
  expect(send.kind).toBe(SpanKind.CLIENT);
  expect(send.attributes[ATTR.destinationName]).toBeUndefined();
  expect(otel.span("create other").attributes).toMatchObject({
    [ATTR.destinationName]: "other",
    [ATTR.queue]: "other",
  });
});
