// Child-process entry of the memory benchmark: one side per process, so that neither side's
// garbage or code is in the other's figures. Needs `--expose-gc`.
import { glassworkHandler, powertoolsHandler, type SqsHandler } from "./handlers.js";
import { type MemorySample, sampleMemory } from "./memory-sample.js";
import { jobRuns } from "./sample-job.js";
import { lambdaContext, sampleSqsEvent } from "./sqs-event.js";

/** What the probe reports over IPC. */
export interface MemoryProbeResult {
  readonly side: "ours" | "peer" | "poller";
  readonly jobs: number;
  /** After the first 1,000 jobs and at the end of the warm-up. */
  readonly warmup: readonly MemorySample[];
  /** At the start of the measurement and after each tenth of the jobs. */
  readonly samples: readonly MemorySample[];
}

const [side, jobsArg, warmupArg] = process.argv.slice(2);
if (side !== "ours" && side !== "peer") throw new Error(`side must be ours or peer, got ${side}`);
const jobs = Number(jobsArg);
const warmupJobs = Number(warmupArg);

const handler: SqsHandler = side === "ours" ? glassworkHandler().handler : powertoolsHandler();
const context = lambdaContext();

// A fresh event each time, as Lambda gives it: nothing the handler keeps can hide in reuse.
async function run(count: number, offset: number): Promise<void> {
  for (let done = 0; done < count; done += 10) {
    const { batchItemFailures } = await handler(sampleSqsEvent(10, offset + done), context);
    if (batchItemFailures.length > 0) throw new Error("a no-op job failed");
  }
}

// The warm-up lets the JIT and V8's young generation reach their steady size: what is left to
// grow after it is what the handler keeps.
const firstJobs = Math.min(1_000, warmupJobs);
await run(firstJobs, -warmupJobs);
const warmup = [sampleMemory(firstJobs - warmupJobs)];
await run(warmupJobs - firstJobs, firstJobs - warmupJobs);
warmup.push(sampleMemory(0));
const samples = [sampleMemory(0)];
const step = Math.max(10, Math.ceil(jobs / 10 / 10) * 10);
const before = jobRuns.count;
for (let done = 0; done < jobs; done += step) {
  const count = Math.min(step, jobs - done);
  await run(count, done);
  samples.push(sampleMemory(done + count));
}
if (jobRuns.count - before !== jobs) throw new Error(`${jobRuns.count - before} of ${jobs} ran`);
process.send?.({ side, jobs, warmup, samples } satisfies MemoryProbeResult);
process.disconnect?.();
