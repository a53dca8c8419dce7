// Promise 2 — SQS faults while producing: under throttled and failed requests and failed batch
// entries, `enqueueBatch` accounts for every item (sent, or listed in `EnqueueBatchError`) and
// what it reports as sent is exactly what is in the queue.
import {
  defineJob,
  EnqueueBatchError,
  type EnqueuedJob,
  type EnqueueItemResult,
  isJobError,
  JobService,
} from "@glasswork/core";
import { SQSQueueDriver } from "@glasswork/driver-sqs";
import * as v from "valibot";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import {
  type FauxqsTestServer,
  startFauxqsTestServer,
} from "../../packages/driver-sqs/src/test-fauxqs.js";
import { recordFigures } from "./internal/figures.js";
import { jobIdOf, readQueue } from "./internal/queue-contents.js";
import { seededRandom } from "./internal/random.js";
import { size } from "./internal/sizes.js";
import { injectSqsFaults, type PersistentFault } from "./internal/sqs-faults.js";

const FILE = "sqs-faults-enqueue";
const job = defineJob({
  name: "reliability.produce",
  schema: v.object({ n: v.number() }),
  handler: () => {},
});

let sqs: FauxqsTestServer;
beforeAll(async () => {
  sqs = await startFauxqsTestServer();
});
afterAll(async () => {
  await sqs.stop();
});

/** Runs `enqueueBatch` and returns its per-item results, whether it resolved or threw. */
async function enqueueAll(
  jobs: JobService,
  count: number,
): Promise<{ results: EnqueueItemResult<EnqueuedJob>[]; threw: boolean }> {
  const items = Array.from({ length: count }, (_, n) => ({
    job,
    payload: { n },
    options: { id: `job-${String(n).padStart(6, "0")}` },
  }));
  try {
    const sent = await jobs.enqueueBatch(items);
    return { results: sent.map((value, index) => ({ ok: true, index, value })), threw: false };
  } catch (error) {
    expect(error).toBeInstanceOf(EnqueueBatchError);
    return { results: [...(error as EnqueueBatchError<EnqueuedJob>).results], threw: true };
  }
}

const idOf = (n: number) => `job-${String(n).padStart(6, "0")}`;

describe("SQS faults while producing", () => {
  const JOBS = size(10_000, 50_000);
  it(`accounts for every item of a ${JOBS}-job enqueueBatch under throttling and failed requests and entries`, async () => {
    const startedAt = performance.now();
    const random = seededRandom(0x5f2);
    const queue = await sqs.createQueue("produce");
    const driver = new SQSQueueDriver({ ...sqs.clientConfig, queues: { default: queue.url } });
    // Two kinds of items fail on every send: one SQS refuses for good (SenderFault true), one it
    // keeps failing with an internal error until the retries run out.
    const refused = new Set<string>();
    const broken = new Set<string>();
    for (let n = 0; n < JOBS; n++) {
      if (n % 500 === 7) refused.add(idOf(n));
      if (n % 500 === 257) broken.add(idOf(n));
    }
    const persistent = (body: string): PersistentFault | undefined => {
      const id = jobIdOf(body) ?? "";
      if (refused.has(id)) return { code: "InvalidMessageContents", senderFault: true };
      if (broken.has(id)) return { code: "InternalError", senderFault: false };
      return undefined;
    };
    const faults = injectSqsFaults(await driver.getClient(), {
      random,
      throttleRequests: 0.03,
      failRequests: 0.02,
      throttleAttempts: 0.03,
      failEntries: 0.02,
      persistent,
    });
    const jobs = new JobService(driver);

    const { results, threw } = await enqueueAll(jobs, JOBS);
    const messages = await readQueue(sqs.client, queue.url);
    const depth = await sqs.depth(queue);
    await driver.dispose();

    const sent = results.filter((r) => r.ok);
    const failed = results.filter((r) => !r.ok);
    const inQueue = new Map<string, string[]>();
    for (const m of messages) {
      const id = jobIdOf(m.Body) ?? `not-a-job:${m.MessageId}`;
      inQueue.set(id, [...(inQueue.get(id) ?? []), m.MessageId ?? ""]);
    }
    const duplicated = [...inQueue.values()].filter((ids) => ids.length > 1).length;
    const failedIds = new Set(failed.map((r) => idOf(r.index)));
    // Items that failed without being persistently faulty: all retries of a transient failure
    // were unlucky. Allowed (they are reported), and counted.
    const unluckyIds = [...failedIds].filter((id) => !refused.has(id) && !broken.has(id));
    const lost = results.filter((r) => r.ok && !inQueue.has(idOf(r.index))).length;
    recordFigures(
      FILE,
      "throttling and failed requests and entries",
      {
        jobs: JOBS,
        faults: {
          throttledRequests: faults.throttledRequests,
          failedRequests: faults.failedRequests,
          throttledAttemptsRetriedBySdk: faults.throttledAttempts,
          failedEntries: faults.failedEntries,
          persistentEntryFailures: faults.persistentEntries,
        },
        lost,
        duplicatedEffects: null,
        duplicatedExecutions: null,
        duplicatedMessages: duplicated,
        deadLetters: {},
        seed: random.seed,
        extra: {
          sent: sent.length,
          reportedFailed: failed.length,
          refused: refused.size,
          brokenUntilRetriesRunOut: broken.size,
          failedAfterAllRetriesByChance: unluckyIds.length,
          inQueue: messages.length,
        },
      },
      startedAt,
    );

    // Every item has exactly one result, in input order.
    expect(threw).toBe(true);
    expect(results.map((r) => r.index)).toEqual(Array.from({ length: JOBS }, (_, i) => i));
    expect(sent.length + failed.length).toBe(JOBS);
    // Every persistently faulty item is reported failed with the transport's error; nothing
    // else failed except items whose every retry hit a transient fault.
    for (const id of [...refused, ...broken]) expect(failedIds.has(id)).toBe(true);
    for (const r of failed)
      expect(isJobError(r.ok ? undefined : r.error, "QUEUE_DRIVER")).toBe(true);
    for (const r of failed) {
      const retryable = (r.ok ? undefined : (r.error as { retryable?: boolean }))?.retryable;
      expect(retryable).toBe(!refused.has(idOf(r.index)));
    }
    // What was reported sent is exactly what is in the queue: same jobs, same message ids, once.
    expect(messages).toHaveLength(sent.length);
    expect(depth).toEqual({ visible: 0, inFlight: sent.length, delayed: 0 });
    expect(lost).toBe(0);
    expect(duplicated).toBe(0);
    for (const r of sent) {
      expect(inQueue.get(idOf(r.index))).toEqual([r.ok ? r.value.messageId : "?"]);
    }
    for (const id of failedIds) expect(inQueue.has(id)).toBe(false);
    // The faults did happen.
    expect(faults.throttledRequests).toBeGreaterThan(0);
    expect(faults.failedRequests).toBeGreaterThan(0);
    expect(faults.throttledAttempts).toBeGreaterThan(0);
    expect(faults.failedEntries).toBeGreaterThan(0);
  }, 120_000);

  it("never loses a job when SQS accepted a request whose response was lost, and reports the duplicates it may cause", async () => {
    const startedAt = performance.now();
    const COUNT = size(3_000, 20_000);
    const random = seededRandom(0x10557);
    const queue = await sqs.createQueue("produce-lost");
    const driver = new SQSQueueDriver({ ...sqs.clientConfig, queues: { default: queue.url } });
    const faults = injectSqsFaults(await driver.getClient(), {
      random,
      throttleRequests: 0.02,
      loseResponses: 0.05,
    });
    const jobs = new JobService(driver);

    const { results } = await enqueueAll(jobs, COUNT);
    const messages = await readQueue(sqs.client, queue.url);
    await driver.dispose();

    const copies = new Map<string, number>();
    for (const m of messages) {
      const id = jobIdOf(m.Body) ?? `not-a-job:${m.MessageId}`;
      copies.set(id, (copies.get(id) ?? 0) + 1);
    }
    const lostResponseIds = new Set([...faults.lostBodies].map((b) => jobIdOf(b)));
    const sent = results.filter((r) => r.ok);
    const failed = results.filter((r) => !r.ok);
    const lost = sent.filter((r) => !copies.has(idOf(r.index))).length;
    const duplicatedJobs = [...copies].filter(([, n]) => n > 1);
    const failedButQueued = failed.filter((r) => copies.has(idOf(r.index)));
    recordFigures(
      FILE,
      "lost responses",
      {
        jobs: COUNT,
        faults: {
          throttledRequests: faults.throttledRequests,
          lostResponses: faults.lostResponses,
        },
        lost,
        duplicatedEffects: null,
        duplicatedExecutions: null,
        duplicatedMessages: messages.length - copies.size,
        deadLetters: {},
        seed: random.seed,
        extra: {
          sent: sent.length,
          reportedFailed: failed.length,
          reportedFailedButQueued: failedButQueued.length,
          jobsWithSeveralCopies: duplicatedJobs.length,
        },
      },
      startedAt,
    );

    expect(results).toHaveLength(COUNT);
    expect(faults.lostResponses).toBeGreaterThan(0);
    // Nothing reported sent is missing, nothing foreign is in the queue.
    expect(lost).toBe(0);
    expect([...copies.keys()].every((id) => /^job-\d{6}$/.test(id))).toBe(true);
    // A lost response is the only way to a second copy, or to a copy of an item reported
    // failed: at-least-once, which the consumer's idempotency key (the job id) absorbs.
    expect(duplicatedJobs.every(([id]) => lostResponseIds.has(id))).toBe(true);
    expect(failedButQueued.every((r) => lostResponseIds.has(idOf(r.index)))).toBe(true);
    expect(duplicatedJobs.length).toBeGreaterThan(0);
  }, 120_000);
});
