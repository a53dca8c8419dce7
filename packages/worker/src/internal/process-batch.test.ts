import { defineJob, PermanentJobError, TransientJobError } from "@glasswork/core";
import { describe, expect, it, vi } from "vitest";
import { callsOf, hookNames, latch, must, setupWorker, sleep } from "../test-harness.js";

type Step = { order: string; step: number };

/** A FIFO job grouped by order; `failOn` names the steps that throw once (e.g. "A2"). */
function shipJob(failOn: Record<string, unknown> = {}) {
  const runs: string[] = [];
  const job = defineJob<Step>({
    name: "ship",
    queue: "orders.fifo",
    group: (p) => p.order,
    retry: { maxAttempts: 5, backoff: { base: 10 } },
    handler: async ({ order, step }) => {
      const key = `${order}${step}`;
      runs.push(`start ${key}`);
      // Yield, so that records of different groups can interleave.
      await sleep(1);
      runs.push(`end ${key}`);
      const error = failOn[key];
      if (error !== undefined) {
        delete failOn[key];
        throw error;
      }
    },
  });
  return { job, runs };
}

async function enqueueSteps(
  w: ReturnType<typeof setupWorker>,
  job: ReturnType<typeof shipJob>["job"],
  keys: string[],
) {
  for (const key of keys)
    await w.jobs.enqueue(job, { order: key.slice(0, 1), step: Number(key.slice(1)) });
}

const keyOf = (body: string) => {
  const { payload } = JSON.parse(body) as { payload: Step };
  return `${payload.order}${payload.step}`;
};

describe("processBatch: FIFO queues", () => {
  it("runs a group's records in order, stops the group after a failure, and lets other groups go on", async () => {
    const { job, runs } = shipJob({ A2: new Error("carrier down") });
    const w = setupWorker({ jobs: [job] });
    await enqueueSteps(w, job, ["A1", "B1", "A2", "A3", "B2", "C1"]);

    const { received, response } = await w.invoke("orders.fifo");

    expect(received.map((m) => keyOf(m.body))).toEqual(["A1", "B1", "A2", "A3", "B2", "C1"]);
    expect(received.every((m) => m.groupId !== undefined)).toBe(true);
    // A2 failed, A3 never ran; both are reported, in input order.
    expect(response).toEqual({
      batchItemFailures: [
        { itemIdentifier: must(received[2]).messageId },
        { itemIdentifier: must(received[3]).messageId },
      ],
    });
    const group = (g: string) => runs.filter((r) => r.split(" ")[1]?.startsWith(g));
    expect(group("A")).toEqual(["start A1", "end A1", "start A2", "end A2"]);
    expect(group("B")).toEqual(["start B1", "end B1", "start B2", "end B2"]);
    expect(group("C")).toEqual(["start C1", "end C1"]);
    // Each record of a group starts after the previous one ended.
    expect(runs.indexOf("start A2")).toBeGreaterThan(runs.indexOf("end A1"));
    expect(runs.indexOf("start B2")).toBeGreaterThan(runs.indexOf("end B1"));
    // Groups ran side by side.
    expect(runs.indexOf("start B1")).toBeLessThan(runs.indexOf("end A1"));

    expect(callsOf(w.calls, "onJobStart")).toHaveLength(5);
    expect(callsOf(w.calls, "onJobFailed")).toHaveLength(1);
    // The failed A2 gets its backoff; the skipped A3 is released (visibility 0).
    expect(w.driver.calls.changeVisibility).toBe(2);
    expect(w.driver.messages("orders.fifo").map((m) => keyOf(m.body))).toEqual(["A2", "A3"]);
  });

  it("redelivers the stopped group in order, once its messages are visible again", async () => {
    const { job, runs } = shipJob({ A1: new TransientJobError("later") });
    const w = setupWorker({ jobs: [job] });
    await enqueueSteps(w, job, ["A1", "A2"]);
    await w.invoke("orders.fifo");
    expect(runs).toEqual(["start A1", "end A1"]);

    // A1 waits 5 s (its backoff); A2, skipped, was released, so the group resumes right after
    // the backoff rather than after the visibility timeout.
    w.clock.advance(4);
    expect(await w.driver.receive("orders.fifo")).toEqual([]);
    w.clock.advance(1);
    runs.length = 0;
    const again = await w.invoke("orders.fifo");
    expect(again.received.map((m) => [keyOf(m.body), m.receiveCount])).toEqual([
      ["A1", 2],
      ["A2", 2],
    ]);
    expect(again.failed).toEqual([]);
    expect(runs).toEqual(["start A1", "end A1", "start A2", "end A2"]);
  });

  it("goes on with a group after a record is dead-lettered (it will never come back)", async () => {
    const { job, runs } = shipJob({ A1: new PermanentJobError("no such order") });
    const w = setupWorker({ jobs: [job] });
    await enqueueSteps(w, job, ["A1", "A2"]);
    const { failed } = await w.invoke("orders.fifo");
    expect(failed).toEqual([]);
    expect(runs).toEqual(["start A1", "end A1", "start A2", "end A2"]);
    expect(w.driver.deadLetters.map((d) => [d.deadLetterQueue, d.reason])).toEqual([
      ["orders-dlq.fifo", "permanent"],
    ]);
  });

  it("stops a group when a record cannot be dead-lettered (no DLQ)", async () => {
    const { job, runs } = shipJob({ A1: new PermanentJobError("no such order") });
    const w = setupWorker({ jobs: [job], driver: { deadLetterQueues: { "orders.fifo": null } } });
    await enqueueSteps(w, job, ["A1", "A2"]);
    const { received, failed } = await w.invoke("orders.fifo");
    expect(failed).toEqual(received.map((m) => m.messageId));
    expect(runs).toEqual(["start A1", "end A1"]);
  });

  it("runs one group at a time with concurrency 1", async () => {
    const { job, runs } = shipJob();
    const w = setupWorker({ jobs: [job], worker: { concurrency: 1 } });
    await enqueueSteps(w, job, ["A1", "B1", "A2"]);
    await w.invoke("orders.fifo");
    expect(runs).toEqual(["start A1", "end A1", "start A2", "end A2", "start B1", "end B1"]);
  });
});

describe("processBatch: standard queues", () => {
  function trackedJob() {
    const state = { active: 0, max: 0, log: [] as string[] };
    const job = defineJob<{ n: number }>({
      name: "track",
      handler: async ({ n }) => {
        state.active++;
        state.max = Math.max(state.max, state.active);
        state.log.push(`start ${n}`);
        await sleep(2);
        state.log.push(`end ${n}`);
        state.active--;
      },
    });
    return { job, state };
  }

  it("never runs more handlers at once than concurrency", async () => {
    const { job, state } = trackedJob();
    const w = setupWorker({ jobs: [job], worker: { concurrency: 2 } });
    for (let n = 1; n <= 7; n++) await w.jobs.enqueue(job, { n });
    const { response } = await w.invoke();
    expect(response).toEqual({ batchItemFailures: [] });
    expect(state.max).toBe(2);
    expect(state.log.filter((l) => l.startsWith("start"))).toHaveLength(7);
    expect(callsOf(w.calls, "onJobComplete")).toHaveLength(7);
  });

  it("serialises records with concurrency 1, in batch order", async () => {
    const { job, state } = trackedJob();
    const w = setupWorker({ jobs: [job], worker: { concurrency: 1 } });
    for (let n = 1; n <= 3; n++) await w.jobs.enqueue(job, { n });
    await w.invoke();
    expect(state.max).toBe(1);
    expect(state.log).toEqual(["start 1", "end 1", "start 2", "end 2", "start 3", "end 3"]);
  });

  it("runs a full batch of 10 at once by default", async () => {
    const gate = latch();
    let active = 0;
    const job = defineJob<{ n: number }>({
      name: "gate",
      handler: async () => {
        active++;
        await gate.promise;
      },
    });
    const w = setupWorker({ jobs: [job] });
    for (let n = 1; n <= 10; n++) await w.jobs.enqueue(job, { n });
    const running = w.invoke();
    await vi.waitFor(() => expect(active).toBe(10));
    gate.resolve();
    expect((await running).failed).toEqual([]);
  });

  it("fires each hook once per record in a batch of mixed outcomes", async () => {
    const job = defineJob<{ n: number }>({
      name: "mixed",
      handler: ({ n }) => {
        if (n === 2) throw new Error("retry me");
        if (n === 3) throw new PermanentJobError("never");
      },
    });
    const w = setupWorker({ jobs: [job] });
    for (let n = 1; n <= 3; n++) await w.jobs.enqueue(job, { n });
    await w.invoke();
    const count = (hook: string) => callsOf(w.calls, hook).length;
    expect({
      aroundJob: count("aroundJob"),
      onJobStart: count("onJobStart"),
      onJobComplete: count("onJobComplete"),
      onJobFailed: count("onJobFailed"),
      onJobDeadLetter: count("onJobDeadLetter"),
      done: count("aroundJob:done"),
    }).toEqual({
      aroundJob: 3,
      onJobStart: 3,
      onJobComplete: 1,
      onJobFailed: 2,
      onJobDeadLetter: 1,
      done: 3,
    });
    expect(hookNames(w.calls).filter((h) => h.endsWith("onJobDeadLetter"))).toEqual([
      "hooks.onJobDeadLetter",
    ]);
  });
});
