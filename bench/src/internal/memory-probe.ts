// Child-process entry of the memory benchmark: one side per process, so that neither side's
// garbage or code is in the other's figures. Needs `--expose-gc`.
import { getHeapSpaceStatistics } from "node:v8";
import { glassworkHandler, powertoolsHandler, type SqsHandler } from "./handlers.js";
import { jobRuns } from "./sample-job.js";
import { lambdaContext, sampleSqsEvent } from "./sqs-event.js";

/** Memory after a full GC, in MB. */
export interface MemorySample {
  /** Jobs run since the measurement started (negative: during the warm-up). */
  readonly jobs: number;
  readonly rss: number;
  readonly heapUsed: number;
  /** V8's young generation as committed: it grows with the allocation rate, up to a cap. */
  readonly newSpace: number;
}

/** What the probe reports over IPC. */
export interface MemoryProbeResult {
  readonly side: "ours" | "peer";
  readonly jobs: number;
  /** After the first 1,000 jobs and at the end of the warm-up. */
  readonly warmup: readonly MemorySample[];
  /** At the start of the measurement and after each tenth of the jobs. */
  readonly samples: readonly MemorySample[];
}

const MB = 1024 * 1024;

const [side, jobsArg, warmupArg] = process.argv.slice(2);
if (side !== "ours" && side !== "peer") throw new Error(`side must be ours or peer, got ${side}`);
const jobs = Number(jobsArg);
const warmupJobs = Number(warmupArg);
const gc = globalThis.gc;
if (!gc) throw new Error("run with --expose-gc");

const handler: SqsHandler = side === "ours" ? glassworkHandler().handler : powertoolsHandler();
const context = lambdaContext();

// A fresh event each time, as Lambda gives it: nothing the handler keeps can hide in reuse.
async function run(count: number, offset: number): Promise<void> {
  for (let done = 0; done < count; done += 10) {
    const { batchItemFailures } = await handler(sampleSqsEvent(10, offset + done), context);
    if (batchItemFailures.length > 0) throw new Error("a no-op job failed");
  }
}

function sample(done: number): MemorySample {
  gc?.();
  gc?.();
  const { rss, heapUsed } = process.memoryUsage();
  const newSpace = getHeapSpaceStatistics().find((s) => s.space_name === "new_space");
  return {
    jobs: done,
    rss: rss / MB,
    heapUsed: heapUsed / MB,
    newSpace: (newSpace?.space_size ?? 0) / MB,
  };
}

// The warm-up lets the JIT and V8's young generation reach their steady size: what is left to
// grow after it is what the handler keeps.
const firstJobs = Math.min(1_000, warmupJobs);
await run(firstJobs, -warmupJobs);
const warmup = [sample(firstJobs - warmupJobs)];
await run(warmupJobs - firstJobs, firstJobs - warmupJobs);
warmup.push(sample(0));
const samples = [sample(0)];
const step = Math.max(10, Math.ceil(jobs / 10 / 10) * 10);
const before = jobRuns.count;
for (let done = 0; done < jobs; done += step) {
  const count = Math.min(step, jobs - done);
  await run(count, done);
  samples.push(sample(done + count));
}
if (jobRuns.count - before !== jobs) throw new Error(`${jobRuns.count - before} of ${jobs} ran`);
process.send?.({ side, jobs, warmup, samples } satisfies MemoryProbeResult);
process.disconnect?.();
