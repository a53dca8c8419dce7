import { defineJob, silentLogger } from "@glasswork/core";
import * as v from "valibot";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { ATTR, METRICS, UNKNOWN_JOB_NAME } from "./attributes.js";
import type { TestAppOptions } from "./test-otel.js";
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

/** Messages anyone with send rights can write: 30 made-up job names, plus one real job. */
async function attack(options: TestAppOptions) {
  const app = setupApp(
    otel,
    { jobs: [ping], logger: silentLogger, unknownJobRetry: { maxAttempts: 1 } },
    options,
  );
  const body = (name: string, n: number) =>
    JSON.stringify({
      v: 1,
      id: `j-${n}`,
      name,
      payload: { n },
      enqueuedAt: new Date().toISOString(),
    });
  await app.driver.send(
    Array.from({ length: 30 }, (_, i) => ({
      queue: "default",
      body: body(`attacker-${i}-${"x".repeat(i)}`, i),
      attributes: {},
    })),
  );
  await app.jobs.enqueue(ping, { n: 99 });
  for (let i = 0; i < 4; i++) await app.runOnce();
  const scope = (await otel.metrics()).scopeMetrics.find((s) => s.scope.name === "@glasswork/otel");
  const names = (metric: string) =>
    new Set(
      scope?.metrics
        .find((m) => m.descriptor.name === metric)
        ?.dataPoints.map((p) => p.attributes[ATTR.jobName]),
    );
  return { names, spans: otel.spans().filter((s) => s.name.startsWith("process")) };
}

describe("job names from messages", () => {
  for (const [label, options] of [
    ["with the jobs option", { hooks: { jobs: [ping] } }],
    ["without it (the worker's outcome decides)", {}],
  ] as const) {
    it(`become one value, ${UNKNOWN_JOB_NAME}, when this worker does not know them: ${label}`, async () => {
      const { names, spans } = await attack({
        ...options,
        hooks: {
          ...("hooks" in options && options.hooks),
          consumerSpanName: (execution) => `process ${execution.jobName}`,
        },
      });
      for (const metric of [METRICS.outcomes, METRICS.processDuration, METRICS.queueWait]) {
        const seen = names(metric);
        expect([...seen].filter((n) => n !== UNKNOWN_JOB_NAME && n !== "ping")).toEqual([]);
      }
      expect(names(METRICS.outcomes)).toEqual(new Set(["ping", UNKNOWN_JOB_NAME]));
      expect(spans).toHaveLength(31);
      expect(new Set(spans.map((s) => s.name))).toEqual(
        new Set(["process ping", `process ${UNKNOWN_JOB_NAME}`]),
      );
      expect(new Set(spans.map((s) => s.attributes[ATTR.jobName]))).toEqual(
        new Set(["ping", UNKNOWN_JOB_NAME]),
      );
    });
  }
});
