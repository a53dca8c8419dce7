// Child-process entry of the memory benchmark's poller side: `startPoller` + `bootstrapWorker` on
// `SQSQueueDriver`, consuming from fauxqs (in its own process), so that the driver's and the
// poller's long-lived state is measured as well as the handler's. Needs `--expose-gc`.
import { silentLogger } from "@glasswork/core";
import { SQSQueueDriver } from "@glasswork/driver-sqs";
import { bootstrapWorker, startPoller } from "@glasswork/worker";
import { watchCompletions } from "./completion-watch.js";
import { enqueueSampleJobs } from "./enqueue-sample-jobs.js";
import { startFauxqsServer } from "./fauxqs-server.js";
import type { MemoryProbeResult } from "./memory-probe.js";
import { sampleMemory } from "./memory-sample.js";
import { noopJob } from "./sample-job.js";

const [jobsArg, warmupArg] = process.argv.slice(2);
const jobs = Number(jobsArg);
const warmupJobs = Number(warmupArg);

const server = await startFauxqsServer();
const queueUrl = await server.createQueue("memory-poller", { VisibilityTimeout: "30" });
await enqueueSampleJobs(server, queueUrl, warmupJobs + jobs);

const driver = new SQSQueueDriver({ ...server.clientConfig, queues: { default: queueUrl } });
const watch = watchCompletions(await driver.getClient(), warmupJobs + jobs);
const poller = startPoller({
  handler: bootstrapWorker({ jobs: [noopJob], driver }),
  driver,
  queue: "default",
  batchSize: 10,
  concurrency: 4,
  waitTimeSeconds: 1,
  visibilityTimeout: 30,
  stopOnSignals: [],
  logger: silentLogger,
});

// The poller keeps running while a sample is taken: the count is what had been deleted then.
async function until(deleted: number): Promise<void> {
  while (watch.deleted < deleted) await new Promise((resolve) => setTimeout(resolve, 5));
}

await until(Math.min(1_000, warmupJobs));
const warmup = [sampleMemory(watch.deleted - warmupJobs)];
await until(warmupJobs);
warmup.push(sampleMemory(watch.deleted - warmupJobs));
const samples = [sampleMemory(watch.deleted - warmupJobs)];
const step = Math.max(10, Math.ceil(jobs / 10 / 10) * 10);
for (let done = step; done < jobs + step; done += step) {
  await until(warmupJobs + Math.min(done, jobs));
  samples.push(sampleMemory(watch.deleted - warmupJobs));
}
await watch.done;
await poller.stop();
await driver.dispose();
const left = await server.countMessages(queueUrl);
await server.stop();
if (left !== 0) throw new Error(`${left} messages left on the queue`);
process.send?.({ side: "poller", jobs, warmup, samples } satisfies MemoryProbeResult);
process.disconnect?.();
