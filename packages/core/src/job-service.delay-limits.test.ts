import { describe, expect, it } from "vitest";
import { defineJob } from "./define-job.js";
import { type EnqueueBatchError, type EnqueueItemResult, isJobError } from "./errors.js";
import { LATEST_RUN_AT } from "./internal/resolve-delay.js";
import { JobService } from "./job-service.js";
import type { EnqueuedJob, EnqueueEvent, ProducerHooks } from "./producer-hooks.js";
import { FakeQueueDriver } from "./test-fake-driver.js";

// Issue 12 item 10: one out-of-range delay made enqueueBatch reject with a bare RangeError from
// toISOString, after onEnqueue and before onEnqueued: nothing was sent, no span ended.

const NOW = Date.parse("2026-12-01T00:00:00.000Z");
const remind = defineJob<{ userId: string }>({ name: "remind", handler: () => {} });

function recordingHooks() {
  const started: string[] = [];
  const ended: { jobId: string; ok: boolean }[] = [];
  const hooks: ProducerHooks = {
    onEnqueue: (event: EnqueueEvent) => {
      started.push(...event.jobs.map((j) => j.jobId));
    },
    onEnqueued: (event, results: readonly EnqueueItemResult<EnqueuedJob>[]) => {
      event.jobs.forEach((job, i) => {
        ended.push({ jobId: job.jobId, ok: results[i]?.ok ?? false });
      });
    },
  };
  return { hooks, started, ended };
}

async function rejection(promise: Promise<unknown>): Promise<EnqueueBatchError> {
  return (await promise.then(
    () => expect.unreachable("expected a rejection"),
    (e: unknown) => e,
  )) as EnqueueBatchError;
}

describe("enqueueBatch with a delay or date out of range", () => {
  it('fails only the item delayed "100000000d", naming the limit, sends the rest, and every hook sees them end', async () => {
    const driver = new FakeQueueDriver();
    const { hooks, started, ended } = recordingHooks();
    const jobs = new JobService(driver, { now: () => NOW, hooks: [hooks] });
    const error = await rejection(
      jobs.enqueueBatch([
        { job: remind, payload: { userId: "a" }, options: { id: "a" } },
        { job: remind, payload: { userId: "b" }, options: { id: "b", delay: "100000000d" } },
        { job: remind, payload: { userId: "c" }, options: { id: "c", delay: "3d" } },
      ]),
    );

    expect(error.succeeded.map((r) => r.index)).toEqual([0, 2]);
    expect(error.failed.map((r) => r.index)).toEqual([1]);
    const failure = error.failed[0]?.error;
    expect(isJobError(failure, "INVALID_ENQUEUE_OPTIONS")).toBe(true);
    expect(failure?.message).toBe(
      'Job "remind": the delay of 8640000000000 s is out of range: a job can be due at 9999-12-31T23:59:59.999Z at the latest',
    );
    expect(driver.accepted.map((m) => JSON.parse(m.body).id)).toEqual(["a", "c"]);
    expect(started).toEqual(["a", "c"]);
    expect(ended).toEqual([
      { jobId: "a", ok: true },
      { jobId: "c", ok: true },
    ]);
  });

  it("fails an enqueueAt date past year 9999 (which the worker's decoder would refuse) naming the limit", async () => {
    const jobs = new JobService(new FakeQueueDriver(), { now: () => NOW });
    const error = await jobs
      .enqueueAt(remind, { userId: "a" }, new Date(Date.UTC(10_000, 0, 1)))
      .catch((e: unknown) => e);
    expect(error).toMatchObject({ code: "INVALID_ENQUEUE_OPTIONS", option: "at" });
    expect((error as Error).message).toMatch(
      /the date \+010000-01-01T00:00:00.000Z is out of range: a job can be due at 9999-12-31T23:59:59.999Z at the latest/,
    );
  });

  it("fails a delay of 1e300 seconds, beyond what a Date can hold, with the same clear error", async () => {
    const jobs = new JobService(new FakeQueueDriver(), { now: () => NOW });
    await expect(jobs.enqueueIn(remind, { userId: "a" }, 1e300)).rejects.toThrow(
      /the delay of 1e\+300 s is out of range/,
    );
  });

  it("accepts the latest date, and relays it with runAt", async () => {
    const driver = new FakeQueueDriver();
    const jobs = new JobService(driver, { now: () => NOW });
    const sent = await jobs.enqueueAt(remind, { userId: "a" }, LATEST_RUN_AT);
    expect(sent).toMatchObject({ delaySeconds: 900, runAt: LATEST_RUN_AT });
    expect(JSON.parse(driver.accepted[0]?.body ?? "{}").runAt).toBe("9999-12-31T23:59:59.999Z");
  });
});

describe("a producer hook that makes one job unencodable", () => {
  it("fails that job, sends the others, and onEnqueued still gets a result for every job", async () => {
    const driver = new FakeQueueDriver();
    const { hooks: recorder, ended } = recordingHooks();
    const hostile: ProducerHooks = {
      onEnqueue: (event) => {
        // A value JSON.stringify throws on, as a careless tracing hook might write.
        (event.jobs[0]?.meta as Record<string, unknown>).span = 1n;
      },
    };
    const jobs = new JobService(driver, { now: () => NOW, hooks: [recorder, hostile] });
    const error = await rejection(
      jobs.enqueueBatch([
        { job: remind, payload: { userId: "a" }, options: { id: "a" } },
        { job: remind, payload: { userId: "b" }, options: { id: "b" } },
      ]),
    );
    expect(error.failed.map((r) => r.index)).toEqual([0]);
    expect(error.failed[0]?.error).toBeInstanceOf(TypeError);
    expect(driver.accepted).toHaveLength(1);
    expect(ended).toEqual([
      { jobId: "a", ok: false },
      { jobId: "b", ok: true },
    ]);
  });
});
