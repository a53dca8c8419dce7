// The poller hands a handler made by this package's bootstrapWorker the driver's messages
// directly (no Lambda records, no Lambda context). These tests hold that shortcut to the Lambda
// path: the same outcomes, hooks and queue names, and nothing of it visible on the handler.
import {
  type AnyJobDefinition,
  defineJob,
  JobService,
  PermanentJobError,
  TransientJobError,
  type WorkerHooks,
} from "@glasswork/core";
import { MockQueueDriver } from "@glasswork/driver-mock";
import type { Context, SQSEvent } from "aws-lambda";
import * as v from "valibot";
import { afterEach, describe, expect, it, vi } from "vitest";
import { bootstrapWorker } from "./bootstrap-worker.js";
import { runMessagesOf } from "./internal/run-messages.js";
import type { Poller } from "./start-poller.js";
import { recordingLogger, sleep, startTestPoller } from "./test-harness.js";

const running: Poller[] = [];
afterEach(async () => {
  await Promise.all(running.splice(0).map((p) => p.stop()));
});

type Path = "direct" | "lambda";

interface Seen {
  readonly hook: string;
  readonly job: string;
  readonly queue: string | undefined;
  readonly attempt: number | undefined;
}

function jobs(): AnyJobDefinition[] {
  return [
    defineJob<{ n: number }>({ name: "ok", handler: () => {} }),
    defineJob<{ n: number }>({
      name: "flaky",
      retry: { maxAttempts: 3 },
      handler: () => {
        throw new TransientJobError("not yet", { retryAfter: 60 });
      },
    }),
    defineJob<{ n: number }>({
      name: "broken",
      handler: () => {
        throw new PermanentJobError("never");
      },
    }),
    defineJob({ name: "typed", schema: v.object({ id: v.string() }), handler: () => {} }),
  ];
}

/**
 * Runs one batch through the poller on one path: a job that succeeds, one that asks to be
 * retried in 60 s, one that fails for good, one with a schema, and a body that is no envelope.
 */
async function runBatch(path: Path, queue = "default") {
  const driver = new MockQueueDriver({ deadLetterQueues: { [queue]: "dlq" } });
  const service = new JobService(driver);
  const [ok, flaky, broken, typed] = jobs() as [
    AnyJobDefinition,
    AnyJobDefinition,
    AnyJobDefinition,
    AnyJobDefinition,
  ];
  await service.enqueueBatch([
    { job: ok, payload: { n: 1 }, options: { queue } },
    { job: flaky, payload: { n: 2 }, options: { queue } },
    { job: broken, payload: { n: 3 }, options: { queue } },
    { job: typed, payload: { id: "x" }, options: { queue } },
  ]);
  await driver.send([{ queue, body: "not json", attributes: {} }]);
  const seen: Seen[] = [];
  const note =
    (hook: string) =>
    (execution: { jobName: string; queue: string; attempt: number } | undefined) =>
      void seen.push({
        hook,
        job: execution?.jobName ?? "-",
        queue: execution?.queue,
        attempt: execution?.attempt,
      });
  const hooks: WorkerHooks = {
    onJobStart: note("start"),
    onJobComplete: note("complete"),
    onJobFailed: note("failed"),
    onJobDeadLetter: (event) =>
      void seen.push({
        hook: `deadLetter:${event.reason}`,
        job: event.execution?.jobName ?? "-",
        queue: event.message.queue,
        attempt: event.message.receiveCount,
      }),
  };
  const worker = bootstrapWorker({
    jobs: jobs(),
    driver,
    hooks: [hooks],
    logger: recordingLogger().logger,
    random: () => 0.5,
  });
  const events: SQSEvent[] = [];
  const handler =
    path === "direct"
      ? worker
      : async (event: SQSEvent, context: Context) => {
          events.push(event);
          return worker(event, context);
        };
  const visibility = vi.spyOn(driver, "changeVisibility");
  const deletes = vi.spyOn(driver, "delete");
  const poller = startTestPoller(running, { handler, driver, queue });
  // The batch has run when the poller deletes what finished.
  for (let i = 0; i < 200 && deletes.mock.calls.length === 0; i++) await sleep(10);
  await poller.stop();
  return {
    events,
    seen: seen.sort((a, b) => `${a.hook}${a.job}`.localeCompare(`${b.hook}${b.job}`)),
    left: driver.messages(queue).map((m) => m.attributes["glasswork.job"] ?? m.body),
    deadLetters: driver.deadLetters.map((d) => d.reason).sort(),
    visibility: visibility.mock.calls.map((c) => c[2]),
    deleted: deletes.mock.calls.reduce((sum, c) => sum + c[1].length, 0),
  };
}

describe("startPoller with a bootstrapWorker handler (direct)", () => {
  it("gives the same outcomes, hooks and queue names as the Lambda path", async () => {
    const direct = await runBatch("direct");
    const lambda = await runBatch("lambda");
    expect(direct.events).toEqual([]);
    expect(lambda.events).toHaveLength(1);
    expect(direct.seen).toEqual(lambda.seen);
    expect(direct.left).toEqual(["flaky"]);
    expect(direct.deadLetters).toEqual(lambda.deadLetters);
    expect(direct.deadLetters).toEqual(["malformed", "permanent"]);
    expect(direct.visibility).toEqual([60]);
    expect(lambda.visibility).toEqual([60]);
    expect(direct.deleted).toBe(lambda.deleted);
    expect(direct.seen.every((s) => s.queue === "default")).toBe(true);
  });

  // (The worker then names the queue to the driver by that name too, on both paths alike.)
  it("names the queue as the Lambda path does when it polls a URL: by its last segment", async () => {
    const url = "https://sqs.us-east-1.amazonaws.com/123456789012/jobs";
    const direct = await runBatch("direct", url);
    const lambda = await runBatch("lambda", url);
    expect(direct.seen).toEqual(lambda.seen);
    expect(new Set(direct.seen.map((s) => s.queue))).toEqual(new Set(["jobs"]));
  });

  it("keeps the shortcut off the handler's visible surface, and to handlers this package made", () => {
    const worker = bootstrapWorker({ jobs: jobs(), driver: new MockQueueDriver() });
    expect(Object.keys(worker)).toEqual([]);
    // Nothing on the function at all: the entry is kept beside it, keyed by the function.
    expect(Object.getOwnPropertySymbols(worker)).toEqual([]);
    expect(runMessagesOf(worker)).toBeTypeOf("function");
    expect(runMessagesOf(async () => ({ batchItemFailures: [] }))).toBeUndefined();
    // A look-alike under the same description is not the package's key.
    const lookalike = Object.assign(async () => undefined, {
      [Symbol("@glasswork/worker/run-messages")]: () => Promise.resolve({ batchItemFailures: [] }),
    });
    expect(runMessagesOf(lookalike)).toBeUndefined();
  });
});
