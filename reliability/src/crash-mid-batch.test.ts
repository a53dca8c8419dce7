// Promise 1 — crash mid-batch: a poller process SIGKILLed at random points and restarted loses
// no job, and with the idempotency key (the job id) no effect is written twice.
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { JobService } from "@glasswork/core";
import { SQSQueueDriver } from "@glasswork/driver-sqs";
import { afterAll, describe, expect, it } from "vitest";
import {
  type FauxqsTestServer,
  startFauxqsTestServer,
} from "../../packages/driver-sqs/src/test-fauxqs.js";
import { defineEffectJob } from "./internal/effect-job.js";
import { EffectsDb } from "./internal/effects-db.js";
import { recordFigures } from "./internal/figures.js";
import { seededRandom } from "./internal/random.js";
import { size } from "./internal/sizes.js";
import { type PollerProcess, spawnPoller } from "./internal/spawn-poller.js";
import { waitFor } from "./internal/wait-for.js";

const JOBS = size(5_000, 20_000);
const KILLS = size(4, 8);
const VISIBILITY_TIMEOUT = 2;

const cleanups: (() => unknown)[] = [];
afterAll(async () => {
  for (const cleanup of cleanups.reverse()) await cleanup();
});

describe("crash mid-batch", () => {
  it(
    `loses no job and writes every effect once when a poller is SIGKILLed ${KILLS} times`,
    async () => {
      const startedAt = performance.now();
      const random = seededRandom(0x1c4a5);
      const sqs: FauxqsTestServer = await startFauxqsTestServer();
      cleanups.push(() => sqs.stop());
      const dir = mkdtempSync(join(tmpdir(), "glasswork-crash-"));
      cleanups.push(() => rmSync(dir, { recursive: true, force: true }));
      const db = new EffectsDb(join(dir, "effects.db"));
      cleanups.push(() => db.close());

      const deadLetter = await sqs.createQueue("crash-dlq");
      // maxReceiveCount above the number of kills: the queue's redrive must never be what
      // saves or loses a job here.
      const queue = await sqs.createQueue("crash", {
        VisibilityTimeout: String(VISIBILITY_TIMEOUT),
        RedrivePolicy: JSON.stringify({ deadLetterTargetArn: deadLetter.arn, maxReceiveCount: 20 }),
      });
      const driver = new SQSQueueDriver({ ...sqs.clientConfig, queues: { default: queue.url } });
      cleanups.push(() => driver.dispose());
      const job = defineEffectJob();
      const sent = await new JobService(driver).enqueueBatch(
        Array.from({ length: JOBS }, (_, n) => ({
          job,
          payload: { n, workMs: random.int(0, 4) },
          options: { id: `crash-${n}` },
        })),
      );
      db.addJobs(sent.map((s, n) => ({ jobId: s.jobId, n })));

      const env = {
        GLASSWORK_SQS_ENDPOINT: sqs.endpoint,
        GLASSWORK_QUEUE_URL: queue.url,
        GLASSWORK_DB: join(dir, "effects.db"),
        GLASSWORK_VISIBILITY_TIMEOUT: String(VISIBILITY_TIMEOUT),
      };
      const effects = () => db.count("SELECT count(*) FROM effects");
      let current: PollerProcess | undefined;
      cleanups.push(() => current?.child.kill("SIGKILL"));
      const start = () => {
        current = spawnPoller(env);
        return current;
      };

      // Kill points: one random effect count in each of KILLS equal slices of 5–90 % of the jobs.
      const slice = (0.85 * JOBS) / KILLS;
      const killPoints = Array.from({ length: KILLS }, (_, k) =>
        Math.round(0.05 * JOBS + slice * k + random.int(0, Math.floor(slice * 0.8))),
      );
      const killedAt: { effects: number; executions: number; pid: number }[] = [];
      for (const point of killPoints) {
        const poller = start();
        const target = Math.max(point, effects() + 25);
        await waitFor(
          `${target} effects before kill ${killedAt.length + 1}`,
          () => effects() >= target,
          {
            timeoutMs: 60_000,
            intervalMs: 5,
            describe: () => `${effects()} effects; poller stderr: ${poller.stderr()}`,
          },
        );
        poller.child.kill("SIGKILL");
        const exit = await poller.exited;
        expect(exit.signal).toBe("SIGKILL");
        killedAt.push({
          effects: effects(),
          executions: db.count("SELECT count(*) FROM executions"),
          pid: poller.pid,
        });
      }

      const last = start();
      const drained = async () => {
        if (effects() < JOBS) return false;
        const depth = await sqs.depth(queue);
        return depth.visible + depth.inFlight + depth.delayed === 0;
      };
      await waitFor("every effect and an empty queue", drained, {
        timeoutMs: 120_000,
        intervalMs: 50,
        describe: () => `${effects()} of ${JOBS} effects; poller stderr: ${last.stderr()}`,
      });
      last.child.kill("SIGTERM");
      const exit = await last.exited;
      expect(exit, `the last poller stops gracefully; stderr: ${last.stderr()}`).toEqual({
        code: 0,
        signal: null,
      });

      const summary = db.summary();
      const deadLetterDepth = await sqs.depth(deadLetter);
      recordFigures(
        "crash-mid-batch",
        "SIGKILL and restart",
        {
          jobs: JOBS,
          faults: { sigkill: killedAt.length },
          lost: summary.lost,
          duplicatedEffects: summary.duplicatedEffects,
          duplicatedExecutions: summary.duplicatedExecutions,
          deadLetters: {},
          seed: random.seed,
          extra: {
            deadLetterDepth,
            killedAtEffects: killedAt.map((k) => k.effects),
            executions: summary.executions,
            rerunsAfterEffect: summary.rerunsAfterEffect,
            effectsWithAttemptAbove1: summary.effectsWithAttemptAbove1,
            executionsWithAttemptAbove1: summary.executionsWithAttemptAbove1,
            processes: summary.processes,
          },
        },
        startedAt,
      );

      // Jobs in, effects out: every enqueued job has exactly one effect, nothing else has one.
      expect(sent).toHaveLength(JOBS);
      expect(summary.jobs).toBe(JOBS);
      expect(summary.effects).toBe(JOBS);
      expect(summary.lost).toBe(0);
      expect(summary.unexpected).toBe(0);
      expect(summary.duplicatedEffects).toBe(0);
      // The kills landed mid-run, in different processes, and each one cost re-runs.
      expect(killedAt).toHaveLength(KILLS);
      expect(killedAt.every((k) => k.effects < JOBS)).toBe(true);
      expect(summary.processes).toBe(KILLS + 1);
      expect(summary.duplicatedExecutions).toBeGreaterThan(0);
      expect(summary.executions).toBe(JOBS + summary.duplicatedExecutions);
      // Redelivered jobs ran with attempt > 1, and no delivery ran twice.
      expect(summary.rerunsAfterEffect).toBeGreaterThan(0);
      expect(summary.executionsWithAttemptAbove1).toBeGreaterThanOrEqual(
        summary.duplicatedExecutions,
      );
      expect(summary.effectsWithAttemptAbove1).toBeGreaterThan(0);
      expect(summary.repeatedAttempts).toBe(0);
      // Nothing went to the dead-letter queue: crashes are retried, not dead-lettered.
      expect(deadLetterDepth).toEqual({ visible: 0, inFlight: 0, delayed: 0 });
    },
    size(170_000, 600_000),
  );
});
