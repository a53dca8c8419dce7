// Promise 3 — Lambda deadline: when a batch's jobs outlast the invocation's remaining time, the
// records not started and the records aborted come back as failures and run later; none is lost.
import { setTimeout as sleep } from "node:timers/promises";
import { defineJob, isJobError, silentLogger } from "@glasswork/core";
import { SQSQueueDriver } from "@glasswork/driver-sqs";
import {
  bootstrapWorker,
  type JobFailure,
  messageToRecord,
  startPoller,
  type WorkerHandler,
} from "@glasswork/worker";
import type { Context, SQSBatchResponse, SQSEvent } from "aws-lambda";
import * as v from "valibot";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import {
  type FauxqsTestServer,
  startFauxqsTestServer,
  type TestQueue,
} from "../../packages/driver-sqs/src/test-fauxqs.js";
import { lambdaContext } from "../../packages/worker/src/test-harness.js";
import { countBy, recordFigures } from "./internal/figures.js";
import { Ledger } from "./internal/ledger.js";
import { type Random, seededRandom } from "./internal/random.js";
import { size } from "./internal/sizes.js";
import { waitFor } from "./internal/wait-for.js";

const FILE = "lambda-deadline";
/** The invocation's time, and the worker's margin: the signal fires 400 ms in, it gives up at 800. */
const REMAINING_MS = 1_000;
const MARGIN_MS = 600;
/** The first run of a slow job takes this long, past the deadline; later runs are quick. */
const SLOW_MS = 1_500;

let sqs: FauxqsTestServer;
beforeAll(async () => {
  sqs = await startFauxqsTestServer();
});
afterAll(async () => {
  await sqs.stop();
});

type Kind = "quick" | "cooperative" | "stubborn";

/**
 * A worker whose jobs are quick, or slow on their first run: `cooperative` ones stop when
 * `ctx.signal` fires, `stubborn` ones ignore it (the worker gives up on them; they finish later
 * in the background, as a frozen Lambda's would on its next invocation). The wrapped handler
 * classifies every record an invocation reports failed.
 */
function deadlineSetup(queue: TestQueue, count: number, random: Random) {
  const ledger = new Ledger();
  const failures: { jobId: string; delivery: string; failure: JobFailure }[] = [];
  // A delivery is a job in one invocation. Not (job, attempt): a release does not count as an
  // attempt (issue 12 item 8), so one attempt can span several deliveries.
  const invocationOf = new Map<string, number>();
  const startedDeliveries = new Set<string>();
  let invocations = 0;
  const job = defineJob({
    name: "reliability.deadline",
    schema: v.object({ n: v.number(), kind: v.picklist(["quick", "cooperative", "stubborn"]) }),
    retry: { maxAttempts: 10, backoff: { base: 1, max: 1 } },
    handler: async ({ kind }, ctx) => {
      startedDeliveries.add(`${ctx.jobId}@${invocationOf.get(ctx.jobId)}`);
      const before = ledger.start(ctx.jobId, ctx.attempt);
      const ms = kind !== "quick" && before === 0 ? SLOW_MS : 5 + (ctx.attempt % 7) * 5;
      await sleep(ms, undefined, kind === "cooperative" ? { signal: ctx.signal } : {});
      ledger.effect(ctx.jobId, ctx.attempt);
    },
  });
  const driver = new SQSQueueDriver({ ...sqs.clientConfig, queues: { default: queue.url } });
  const worker = bootstrapWorker({
    jobs: [job],
    driver,
    logger: silentLogger,
    // Few lanes, so that slow records hold them and later records are still unstarted at the
    // margin.
    concurrency: 3,
    deadlineMarginMs: MARGIN_MS,
    hooks: [
      {
        onJobFailed: (execution, _ctx, failure) => {
          failures.push({
            jobId: execution.jobId,
            delivery: `${execution.jobId}@${invocationOf.get(execution.jobId)}`,
            failure,
          });
        },
      },
    ],
  });
  const plan = Array.from({ length: count }, (_, n) => ({
    n,
    kind: random.pick<Kind>(["quick", "quick", "quick", "cooperative", "stubborn"]),
  }));
  const stats = {
    invocations: 0,
    timedOut: 0,
    records: 0,
    reportedFailed: 0,
    unstarted: 0,
    aborted: 0,
    gaveUp: 0,
    other: 0,
  };
  // Each failed record is one delivery (job id, attempt): it either never started, or it
  // started and its onJobFailed says why it failed.
  const handler = async (event: SQSEvent, context: Context): Promise<SQSBatchResponse> => {
    const startedAt = Date.now();
    const invocation = ++invocations;
    for (const record of event.Records) {
      invocationOf.set((JSON.parse(record.body) as { id: string }).id, invocation);
    }
    const response = await (worker as WorkerHandler)(event, context);
    stats.invocations++;
    stats.records += event.Records.length;
    stats.reportedFailed += response.batchItemFailures.length;
    if (Date.now() - startedAt > REMAINING_MS) stats.timedOut++;
    const failed = new Set(response.batchItemFailures.map((f) => f.itemIdentifier));
    for (const record of event.Records) {
      if (!failed.has(record.messageId)) continue;
      const { id } = JSON.parse(record.body) as { id: string };
      const delivery = `${id}@${invocation}`;
      const failure = failures.find((f) => f.delivery === delivery)?.failure;
      if (!failure) {
        if (startedDeliveries.has(delivery)) stats.other++;
        else stats.unstarted++;
      } else if (isJobError(failure.error, "TRANSIENT")) stats.gaveUp++;
      else if ((failure.error as Error).name === "AbortError") stats.aborted++;
      else stats.other++;
    }
    return response;
  };
  return { ledger, failures, job, driver, handler, plan, stats };
}

describe("Lambda deadline", () => {
  it(
    "returns unstarted and aborted records as failures, and runs them all later (Lambda invocations)",
    async () => {
      const startedAt = performance.now();
      const random = seededRandom(0xdead1);
      const JOBS = size(200, 2_000);
      const deadLetter = await sqs.createQueue("deadline-dlq");
      const queue = await sqs.createQueue("deadline", {
        VisibilityTimeout: "3",
        RedrivePolicy: JSON.stringify({ deadLetterTargetArn: deadLetter.arn, maxReceiveCount: 30 }),
      });
      const s = deadlineSetup(queue, JOBS, random);
      const sent = await new (await import("@glasswork/core")).JobService(s.driver).enqueueBatch(
        s.plan.map((payload) => ({
          job: s.job,
          payload,
          options: { id: `deadline-${payload.n}` },
        })),
      );

      // The event source mapping: receive up to 10, invoke with 1 s left, delete what succeeded.
      // An invocation that overran its time counts as timed out: Lambda deletes nothing then.
      const source = {
        eventSourceARN: `arn:aws:sqs:us-east-1:000000000000:${queue.name}`,
        awsRegion: "us-east-1",
      };
      let stop = false;
      const lane = async () => {
        while (!stop) {
          const received = await s.driver.receive("default", {
            maxMessages: 10,
            waitTimeSeconds: 1,
          });
          if (received.length === 0) continue;
          const startedAt = Date.now();
          const response = await s.handler(
            { Records: received.map((m) => messageToRecord(m, source)) },
            lambdaContext({ remainingMs: REMAINING_MS }),
          );
          if (Date.now() - startedAt > REMAINING_MS) continue;
          const failed = new Set(response.batchItemFailures.map((f) => f.itemIdentifier));
          const done = received.filter((m) => !failed.has(m.messageId));
          if (done.length > 0)
            await s.driver.delete(
              "default",
              done.map((m) => m.receiptHandle),
            );
        }
      };
      const lanes = Promise.all(Array.from({ length: 4 }, lane));
      try {
        await waitUntilDone(s, queue, JOBS);
      } finally {
        stop = true;
        await lanes;
      }
      // Stubborn first runs may still be finishing in the background.
      await sleep(SLOW_MS);
      const depth = await sqs.depth(queue);
      const deadLetters = await sqs.depth(deadLetter);
      await s.driver.dispose();
      report(s, JOBS, random.seed, startedAt, "Lambda invocations", depth, deadLetters);

      expect(sent).toHaveLength(JOBS);
      assertOutcome(s, JOBS, depth, deadLetters);
    },
    size(150_000, 600_000),
  );

  it(
    "does the same through the poller with a 1-second function timeout",
    async () => {
      const startedAt = performance.now();
      const random = seededRandom(0xdead2);
      const JOBS = size(100, 1_000);
      const deadLetter = await sqs.createQueue("deadline-poller-dlq");
      const queue = await sqs.createQueue("deadline-poller", {
        VisibilityTimeout: "3",
        RedrivePolicy: JSON.stringify({ deadLetterTargetArn: deadLetter.arn, maxReceiveCount: 30 }),
      });
      const s = deadlineSetup(queue, JOBS, random);
      await new (await import("@glasswork/core")).JobService(s.driver).enqueueBatch(
        s.plan.map((payload) => ({
          job: s.job,
          payload,
          options: { id: `deadline-${payload.n}` },
        })),
      );
      const poller = startPoller({
        handler: s.handler,
        driver: s.driver,
        queue: "default",
        functionTimeoutSeconds: REMAINING_MS / 1_000,
        visibilityTimeout: 3,
        waitTimeSeconds: 1,
        concurrency: 4,
        stopOnSignals: [],
        logger: silentLogger,
      });
      try {
        await waitUntilDone(s, queue, JOBS);
      } finally {
        await poller.stop();
      }
      await sleep(SLOW_MS);
      const depth = await sqs.depth(queue);
      const deadLetters = await sqs.depth(deadLetter);
      await s.driver.dispose();
      report(s, JOBS, random.seed, startedAt, "poller", depth, deadLetters);
      assertOutcome(s, JOBS, depth, deadLetters);
    },
    size(150_000, 600_000),
  );
});

type Setup = ReturnType<typeof deadlineSetup>;

/** Until every job took effect and the queue is empty (retries of background completions included). */
function waitUntilDone(s: Setup, queue: TestQueue, jobs: number): Promise<void> {
  return waitFor(
    "every effect and an empty queue",
    async () => {
      if (s.ledger.effects.size < jobs) return false;
      const depth = await sqs.depth(queue);
      return depth.visible + depth.inFlight + depth.delayed === 0;
    },
    {
      timeoutMs: size(120_000, 600_000),
      intervalMs: 100,
      describe: () => `${s.ledger.effects.size} of ${jobs} effects`,
    },
  );
}
type Depth = Awaited<ReturnType<FauxqsTestServer["depth"]>>;

function report(
  s: Setup,
  jobs: number,
  seed: number,
  startedAt: number,
  test: string,
  depth: Depth,
  dlq: Depth,
) {
  const summary = s.ledger.summary(s.plan.map((p) => `deadline-${p.n}`));
  recordFigures(
    FILE,
    test,
    {
      jobs,
      faults: {
        slowFirstRuns: s.plan.filter((p) => p.kind !== "quick").length,
        unstartedRecords: s.stats.unstarted,
        abortedRecords: s.stats.aborted,
        gaveUpRecords: s.stats.gaveUp,
      },
      lost: summary.lost,
      duplicatedEffects: 0,
      duplicatedExecutions: summary.duplicatedExecutions,
      deadLetters: dlq.visible + dlq.inFlight > 0 ? { any: dlq.visible + dlq.inFlight } : {},
      seed,
      extra: {
        ...s.stats,
        kinds: countBy(s.plan, (p) => p.kind),
        completionsAfterGivingUp: summary.duplicatedCompletions,
        queueLeft: depth,
      },
    },
    startedAt,
  );
}

function assertOutcome(s: Setup, jobs: number, depth: Depth, dlq: Depth) {
  const summary = s.ledger.summary(s.plan.map((p) => `deadline-${p.n}`));
  // Every job took effect, once; nothing is left in the queue or in the dead-letter queue.
  expect(summary.effects).toBe(jobs);
  expect(summary.lost).toBe(0);
  expect(summary.unexpected).toBe(0);
  expect(depth).toEqual({ visible: 0, inFlight: 0, delayed: 0 });
  expect(dlq).toEqual({ visible: 0, inFlight: 0, delayed: 0 });
  // The deadline did cut batches short, in all three ways, and those records came back.
  expect(s.stats.unstarted).toBeGreaterThan(0);
  expect(s.stats.aborted).toBeGreaterThan(0);
  expect(s.stats.gaveUp).toBeGreaterThan(0);
  expect(s.stats.other).toBe(0);
  expect(s.stats.reportedFailed).toBe(s.stats.unstarted + s.stats.aborted + s.stats.gaveUp);
  expect(summary.runsWithAttemptAbove1).toBeGreaterThan(0);
  // Every retried failure was a deadline failure: no other kind of failure happened.
  expect(s.failures.every((f) => f.failure.willRetry)).toBe(true);
  expect(s.failures).toHaveLength(s.stats.aborted + s.stats.gaveUp);
  // Only the slow jobs failed, each on its first run.
  const slow = new Set(s.plan.filter((p) => p.kind !== "quick").map((p) => `deadline-${p.n}`));
  expect(s.failures.every((f) => slow.has(f.jobId))).toBe(true);
  expect(countBy(s.failures, (f) => f.jobId)).toSatisfy((c: Record<string, number>) =>
    Object.values(c).every((n) => n === 1),
  );
}
