import { defineJob } from "@glasswork/core";
import { describe, expect, it } from "vitest";
import { callsOf, lambdaContext, setupWorker, sqsEvent } from "./test-harness.js";

describe("guards of the outcome table", () => {
  it("does not run a job again once its receive count is over maxAttempts (a crash used the attempts up)", async () => {
    let runs = 0;
    const once = defineJob<{ n: number }>({
      name: "once",
      retry: { maxAttempts: 2 },
      handler: () => {
        runs++;
      },
    });
    const w = setupWorker({ jobs: [once] });
    await w.jobs.enqueue(once, { n: 1 });
    // Two receives whose invocations "crashed": no outcome was reported, visibility ran out.
    for (let i = 0; i < 2; i++) {
      await w.driver.receive("default", { visibilityTimeoutSeconds: 1 });
      w.clock.advance(2);
    }
    const { failed } = await w.invoke();
    expect(failed).toEqual([]);
    expect(runs).toBe(0);
    expect(w.driver.deadLetters).toEqual([
      expect.objectContaining({ reason: "retry-exhausted", attempt: 3, jobName: "once" }),
    ]);
    expect(w.driver.deadLetters[0]?.error).toMatch(/attempt 3 is over maxAttempts 2/);
    expect(callsOf(w.calls, "onJobStart")).toHaveLength(0);
    expect(callsOf(w.calls, "onJobFailed")).toHaveLength(1);
  });

  it("drops a retry: false job whose only attempt crashed, without running it twice", async () => {
    let runs = 0;
    const fireAndForget = defineJob<{ n: number }>({
      name: "fire-and-forget",
      retry: false,
      handler: () => {
        runs++;
      },
    });
    const w = setupWorker({ jobs: [fireAndForget] });
    await w.jobs.enqueue(fireAndForget, { n: 1 });
    await w.driver.receive("default", { visibilityTimeoutSeconds: 1 });
    w.clock.advance(2);
    const { failed } = await w.invoke();
    expect(failed).toEqual([]);
    expect(runs).toBe(0);
    expect(w.driver.deadLetters).toEqual([]);
    expect(w.driver.messages("default")).toEqual([]);
  });

  it("reports only the record whose processing threw unexpectedly, not the whole batch", async () => {
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
    expect(w.log.find("error", /unexpected error while processing a record/)).toHaveLength(1);
  });
});
