import { defineJob, silentLogger } from "@glasswork/core";
import { context, propagation, trace } from "@opentelemetry/api";
import * as v from "valibot";
import { afterEach, beforeEach, expect, it } from "vitest";
import { setupApp, setupOtel } from "./test-otel.js";

let otel: ReturnType<typeof setupOtel>;
beforeEach(() => {
  otel = setupOtel();
});
afterEach(async () => {
  await otel.shutdown();
});

const seen: {
  tenant: string | undefined;
  region: string | undefined;
  spanId: string | undefined;
}[] = [];
const whoAmI = defineJob({
  name: "who-am-i",
  schema: v.object({ n: v.number() }),
  handler: () => {
    const baggage = propagation.getBaggage(context.active());
    seen.push({
      tenant: baggage?.getEntry("tenant")?.value,
      region: baggage?.getEntry("region")?.value,
      spanId: trace.getActiveSpan()?.spanContext().spanId,
    });
  },
});

it("restores the enqueuer's baggage inside the handler, with the job span active, keeping the invocation's own", async () => {
  seen.length = 0;
  const app = setupApp(otel, { jobs: [whoAmI], logger: silentLogger });
  const enqueuer = propagation.setBaggage(
    context.active(),
    propagation.createBaggage({ tenant: { value: "acme" } }),
  );
  await context.with(enqueuer, () => app.jobs.enqueue(whoAmI, { n: 1 }));
  expect(app.driver.enqueued[0]?.meta?.baggage).toBe("tenant=acme");

  // The invocation has baggage of its own (e.g. set by Lambda instrumentation).
  const invocation = propagation.setBaggage(
    context.active(),
    propagation.createBaggage({ region: { value: "eu" }, tenant: { value: "other" } }),
  );
  await context.with(invocation, () => app.runOnce());
  const process = otel.span("process default");
  expect(seen).toEqual([{ tenant: "acme", region: "eu", spanId: process.spanContext().spanId }]);
});
