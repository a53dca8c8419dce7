import { defineJob } from "@glasswork/core";
import { describe, expect, it } from "vitest";
import { callsOf, lambdaContext, setupWorker, sqsEvent } from "./test-harness.js";

describe("guards of the outcome table", () => {
  it("awaits a handler that returns a thenable that is not a native promise", async () => {
    const lazy = defineJob<{ n: number }>({
      name: "lazy",
      // A query builder or Bluebird promise: `then` only.
      handler: () =>
        ({
          // biome-ignore lint/suspicious/noThenProperty: the thenable under test.
          then: (_: unknown, reject: (e: unknown) => void) =>
            setTimeout(() => reject(new Error("later")), 20),
        }) as unknown as Promise<void>,
    });
    const w = setupWorker({ jobs: [lazy] });
    await w.jobs.enqueue(lazy, { n: 1 });
    const { failed, received } = await w.invoke();
    expect(failed).toEqual([received[0]?.messageId]);
    expect(callsOf(w.calls, "onJobFailed")).toHaveLength(1);
  });

  it("runs a retry: false job that was released unstarted, rather than count the release as its attempt", async () => {
    let runs = 0;
    const once = defineJob<{ n: number }>({
      name: "once",
      retry: false,
      handler: () => {
        runs++;
      },
    });
    const w = setupWorker({ jobs: [once] });
    await w.jobs.enqueue(once, { n: 1 });
    // Received, then released without an outcome (a deadline release, a FIFO hold-back, a crash).
    await w.driver.receive("default", { visibilityTimeoutSeconds: 1 });
    w.clock.advance(2);
    const { failed } = await w.invoke();
    expect(failed).toEqual([]);
    expect(runs).toBe(1);
  });

  // Changed by issue 18 item 13: the record no longer stays without an outcome; it is retried
  // with the default backoff (see bootstrap-worker.unexpected-throw.test.ts).
  it("reports only the record whose backoff function threw, not the whole batch", async () => {
    const ok = defineJob<{ n: number }>({ name: "ok", handler: () => {} });
    const broken = defineJob<{ n: number }>({
      name: "broken",
      // A user backoff function that throws escapes the retry decision.
      retry: {
        backoff: () => {
          throw new Error("backoff bug");
        },
      },
      handler: () => {
        throw new Error("job failed");
      },
    });
    const w = setupWorker({ jobs: [ok, broken] });
    await w.jobs.enqueueBatch([
      { job: ok, payload: { n: 1 } },
      { job: broken, payload: { n: 2 } },
      { job: ok, payload: { n: 3 } },
    ]);
    const received = await w.driver.receive("default");
    const response = await w.handler(sqsEvent(received), lambdaContext());
    expect(response.batchItemFailures).toEqual([{ itemIdentifier: received[1]?.messageId }]);
    expect(w.log.find("error", /retry backoff function threw/)).toHaveLength(1);
  });
});
