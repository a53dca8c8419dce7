// Promise 8 — soak: jobs through the poller on fauxqs at full speed, all complete, memory
// stable. 100,000 jobs under GLASSWORK_SOAK=1; a small run (same assertions) otherwise.
// The poller runs in its own process so that its memory is measured alone (after a forced
// GC), apart from fauxqs and the test runner.
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { JobService } from "@glasswork/core";
import { SQSQueueDriver } from "@glasswork/driver-sqs";
import { afterAll, describe, expect, it } from "vitest";
import { startFauxqsTestServer } from "../../packages/driver-sqs/src/test-fauxqs.js";
import { defineEffectJob } from "./internal/effect-job.js";
import { EffectsDb } from "./internal/effects-db.js";
import { recordFigures } from "./internal/figures.js";
import { seededRandom } from "./internal/random.js";
import { SOAK, size } from "./internal/sizes.js";
import { type PollerProcess, spawnPoller } from "./internal/spawn-poller.js";
import { waitFor } from "./internal/wait-for.js";

const JOBS = size(2_000, 100_000);
const MiB = 1024 * 1024;
/** Most the poller's heap (after GC) may grow from its first sample past 10 % to the end. */
const HEAP_GROWTH_LIMIT = 16 * MiB;

const cleanups: (() => unknown)[] = [];
afterAll(async () => {
  for (const cleanup of cleanups.reverse()) await cleanup();
});

describe("soak", () => {
  it(
    `runs ${JOBS} jobs through the poller at full speed: all complete, memory stable`,
    async () => {
      const startedAt = performance.now();
      const random = seededRandom(0x50a4);
      const sqs = await startFauxqsTestServer();
      cleanups.push(() => sqs.stop());
      const dir = mkdtempSync(join(tmpdir(), "glasswork-soak-"));
      cleanups.push(() => rmSync(dir, { recursive: true, force: true }));
      const dbFile = join(dir, "effects.db");
      const db = new EffectsDb(dbFile);
      cleanups.push(() => db.close());
      const deadLetter = await sqs.createQueue("soak-dlq");
      const queue = await sqs.createQueue("soak", {
        RedrivePolicy: JSON.stringify({ deadLetterTargetArn: deadLetter.arn, maxReceiveCount: 20 }),
      });
      const driver = new SQSQueueDriver({ ...sqs.clientConfig, queues: { default: queue.url } });
      cleanups.push(() => driver.dispose());

      // Enqueue in chunks of 10,000 (each one enqueueBatch: 1,000 requests).
      const job = defineEffectJob();
      const jobs = new JobService(driver);
      const enqueueStart = performance.now();
      for (let from = 0; from < JOBS; from += 10_000) {
        const sent = await jobs.enqueueBatch(
          Array.from({ length: Math.min(10_000, JOBS - from) }, (_, i) => ({
            job,
            payload: { n: from + i },
            options: { id: `soak-${from + i}` },
          })),
        );
        db.addJobs(sent.map((s, i) => ({ jobId: s.jobId, n: from + i })));
      }
      const enqueueMs = performance.now() - enqueueStart;

      const poller: PollerProcess = spawnPoller({
        GLASSWORK_SQS_ENDPOINT: sqs.endpoint,
        GLASSWORK_QUEUE_URL: queue.url,
        GLASSWORK_DB: dbFile,
        GLASSWORK_POLLER_CONCURRENCY: "8",
        GLASSWORK_MEMORY_EVERY_MS: "1000",
      });
      cleanups.push(() => poller.child.kill("SIGKILL"));
      await waitFor("the poller to start", () => poller.messages.some((m) => m.type === "ready"), {
        timeoutMs: 30_000,
        describe: () => poller.stderr(),
      });
      const runStart = performance.now();
      const effects = () => db.count("SELECT count(*) FROM effects");
      await waitFor(
        "every effect and an empty queue",
        async () => {
          if (effects() < JOBS) return false;
          const depth = await sqs.depth(queue);
          return depth.visible + depth.inFlight + depth.delayed === 0;
        },
        {
          timeoutMs: size(60_000, 900_000),
          intervalMs: 100,
          describe: () => `${effects()} of ${JOBS}; poller stderr: ${poller.stderr()}`,
        },
      );
      const runMs = performance.now() - runStart;
      poller.child.kill("SIGTERM");
      const exit = await poller.exited;
      const summary = db.summary();
      const deadLetters = await sqs.depth(deadLetter);

      const samples = poller.messages;
      const ready = samples.find((m) => m.type === "ready");
      const stopped = samples.find((m) => m.type === "stopped");
      // The first sample past 10 % of the jobs: caches warm, the steady state begun.
      const warm = samples.find((m) => m.type === "memory" && m.effects >= JOBS / 10) ?? ready;
      const heapGrowth = (stopped?.heapUsed ?? 0) - (warm?.heapUsed ?? 0);
      const mib = (bytes: number | undefined) => Math.round(((bytes ?? 0) / MiB) * 10) / 10;
      const memory = samples.filter((m) => m.type === "memory");
      recordFigures(
        "soak",
        SOAK ? "100,000 jobs" : "small run",
        {
          jobs: JOBS,
          faults: {},
          lost: summary.lost,
          duplicatedEffects: summary.duplicatedEffects,
          duplicatedExecutions: summary.duplicatedExecutions,
          deadLetters: deadLetters.visible > 0 ? { any: deadLetters.visible } : {},
          seed: random.seed,
          extra: {
            enqueuePerSecond: Math.round(JOBS / (enqueueMs / 1000)),
            jobsPerSecond: Math.round(JOBS / (runMs / 1000)),
            runSeconds: Math.round(runMs / 100) / 10,
            rssMiB: { start: mib(ready?.rss), warm: mib(warm?.rss), end: mib(stopped?.rss) },
            heapMiB: {
              start: mib(ready?.heapUsed),
              warm: mib(warm?.heapUsed),
              end: mib(stopped?.heapUsed),
            },
            heapMiBPeakSample: mib(Math.max(0, ...memory.map((m) => m.heapUsed))),
            samples: memory.length,
            heapGrowthMiB: mib(heapGrowth),
          },
        },
        startedAt,
      );

      expect(exit, poller.stderr()).toEqual({ code: 0, signal: null });
      // Every job ran once and took effect once; nothing was redelivered or dead-lettered.
      expect(summary.jobs).toBe(JOBS);
      expect(summary.effects).toBe(JOBS);
      expect(summary.lost).toBe(0);
      expect(summary.unexpected).toBe(0);
      expect(summary.executions).toBe(JOBS);
      expect(summary.duplicatedExecutions).toBe(0);
      expect(stopped?.runs).toBe(JOBS);
      expect(deadLetters).toEqual({ visible: 0, inFlight: 0, delayed: 0 });
      // Memory is stable: the heap after GC does not grow with the number of jobs.
      expect(ready).toBeDefined();
      expect(stopped).toBeDefined();
      expect(heapGrowth).toBeLessThan(HEAP_GROWTH_LIMIT);
    },
    size(120_000, 1_800_000),
  );
});
