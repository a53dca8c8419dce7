// A poller in its own process, for the tests that kill it (crash) or measure its memory (soak).
// Started by `spawnPoller` with the fauxqs endpoint, queue URL and SQLite file in its
// environment; it runs `startPoller` + `bootstrapWorker` from the package sources, like the
// tests do, and reports over IPC.
import { setTimeout as sleep } from "node:timers/promises";
import { createJsonLogger } from "@glasswork/core";
import { SQSQueueDriver } from "@glasswork/driver-sqs";
import { bootstrapWorker, startPoller } from "@glasswork/worker";
import { defineEffectJob } from "./internal/effect-job.js";
import { EffectsDb } from "./internal/effects-db.js";
import type { PollerProcessMessage } from "./internal/spawn-poller.js";

function env(name: string): string {
  const value = process.env[name];
  if (!value) throw new Error(`${name} is not set`);
  return value;
}

const send = (message: PollerProcessMessage) => process.send?.(message);
const gc = (globalThis as { gc?: () => void }).gc;

const db = new EffectsDb(env("GLASSWORK_DB"));
let runs = 0;
let effects = 0;
const job = defineEffectJob(async ({ n, workMs = 0 }, ctx) => {
  runs++;
  db.execution(ctx.jobId, ctx.attempt);
  if (workMs > 0) await sleep(workMs);
  if (db.effect(ctx.jobId, n, ctx.attempt)) effects++;
  // Work after the effect: a crash here leaves a job whose effect exists but whose message was
  // not deleted, the case the idempotency key is for.
  if (workMs > 0) await sleep(workMs);
});

const logger = createJsonLogger({
  level: "warn",
  write: (line) => process.stderr.write(`${line}\n`),
});
const driver = new SQSQueueDriver({
  endpoint: env("GLASSWORK_SQS_ENDPOINT"),
  region: "us-east-1",
  credentials: { accessKeyId: "test", secretAccessKey: "test" },
  queues: { default: env("GLASSWORK_QUEUE_URL") },
});
const handler = bootstrapWorker({ jobs: [job], driver, logger, concurrency: 10 });
const poller = startPoller({
  handler,
  driver,
  queue: "default",
  visibilityTimeout: Number(process.env.GLASSWORK_VISIBILITY_TIMEOUT ?? 30),
  waitTimeSeconds: 1,
  concurrency: Number(process.env.GLASSWORK_POLLER_CONCURRENCY ?? 4),
  logger,
  stopOnSignals: ["SIGTERM"],
});

// Never outlive the test that started this process: its IPC channel closes when it exits.
process.on("disconnect", () => void poller.stop());

const report = (type: PollerProcessMessage["type"]) => {
  gc?.();
  const { rss, heapUsed } = process.memoryUsage();
  send({ type, pid: process.pid, runs, effects, rss, heapUsed });
};
const every = Number(process.env.GLASSWORK_MEMORY_EVERY_MS ?? 0);
const timer = every > 0 ? setInterval(() => report("memory"), every) : undefined;
report("ready");

await poller.stopped;
clearInterval(timer);
report("stopped");
await driver.dispose();
db.close();
process.disconnect?.();
