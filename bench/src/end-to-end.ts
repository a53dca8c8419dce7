import { SQSClient } from "@aws-sdk/client-sqs";
import { type EnqueueItem, JobService, silentLogger } from "@glasswork/core";
import { RECEIVE_SYSTEM_ATTRIBUTES, SQSQueueDriver } from "@glasswork/driver-sqs";
import { bootstrapWorker, startPoller } from "@glasswork/worker";
import { Consumer } from "sqs-consumer";
import { watchCompletions } from "./internal/completion-watch.js";
import { type FauxqsServer, startFauxqsServer } from "./internal/fauxqs-server.js";
import { type BenchResult, row, runIfMain } from "./internal/result.js";
import { jobRuns, noopJob, parseAndValidate, samplePayload } from "./internal/sample-job.js";
import { median } from "./internal/stats.js";
import { withTimeout } from "./internal/with-timeout.js";

/** Sizes of {@link endToEnd}. */
export interface EndToEndOptions {
  /** Jobs per run. Default 10,000. */
  readonly jobs?: number;
  /** Batches in flight at once, on both sides. Default 4. */
  readonly concurrency?: number;
  /** Measured runs per side, interleaved; the median is reported. Default 3. */
  readonly runs?: number;
  /** Jobs of the unmeasured warm-up run per side. Default 2,000. */
  readonly warmupJobs?: number;
}

interface RunFigures {
  readonly ms: number;
  readonly jobsPerSecond: number;
  /** Requests the server received during the run, by action. */
  readonly requests: Record<string, number>;
}

const BATCH_SIZE = 10;
const VISIBILITY_TIMEOUT = 30;
// A busy queue answers a receive at once whatever the wait; the wait only matters at the end of a
// run, where the poller's stop() lets a long poll in flight finish (an abandoned one would strand
// a message on SQS's side). 1 s keeps each run's teardown short.
const WAIT_TIME_SECONDS = 1;
// Generous: a healthy run of 10,000 jobs takes seconds.
const timeoutMs = (jobs: number) => 60_000 + jobs * 20;

/**
 * End to end: `jobs` no-op jobs, enqueued beforehand, received, run and deleted through
 * `startPoller` + `bootstrapWorker`, against sqs-consumer with the same batch size, the same
 * number of batches in flight and the same work, each on a fresh queue of the same server.
 * Timed from the first ReceiveMessage until the last job is deleted.
 */
export async function endToEnd(options: EndToEndOptions = {}): Promise<BenchResult> {
  const { jobs = 10_000, concurrency = 4, runs = 3, warmupJobs = 2_000 } = options;
  const server = await startFauxqsServer();
  const ours = (n: number) =>
    measure(server, "e2e-ours", n, (url) => runPoller(server, url, n, concurrency));
  const peer = (n: number) =>
    measure(server, "e2e-peer", n, (url) => runSqsConsumer(server, url, n, concurrency));
  try {
    await ours(warmupJobs);
    await peer(warmupJobs);
    const oursRuns: RunFigures[] = [];
    const peerRuns: RunFigures[] = [];
    for (let i = 0; i < runs; i++) {
      oursRuns.push(await ours(jobs));
      peerRuns.push(await peer(jobs));
    }
    const oursRate = median(oursRuns.map((r) => r.jobsPerSecond));
    const peerRate = median(peerRuns.map((r) => r.jobsPerSecond));
    return {
      name: "end-to-end",
      peer: `sqs-consumer 15 (${concurrency} consumers)`,
      notes: [
        `${jobs.toLocaleString("en-US")} jobs a run, median of ${runs} interleaved runs after a warm-up; batch size ${BATCH_SIZE}, ${concurrency} batches in flight, ${VISIBILITY_TIMEOUT} s visibility, ${WAIT_TIME_SECONDS} s long polls, each run on a fresh queue.`,
        "Timed from the first ReceiveMessage to the last delete, both counted by the same SDK middleware; fauxqs runs in its own process.",
      ],
      rows: [row("jobs/s", oursRate, peerRate, "≥ 1.0× peer", (_, r) => r !== null && r >= 1)],
      details: {
        jobs,
        concurrency,
        runs,
        warmupJobs,
        batchSize: BATCH_SIZE,
        ours: oursRuns,
        peer: peerRuns,
      },
    };
  } finally {
    await server.stop();
  }
}

async function measure(
  server: FauxqsServer,
  prefix: string,
  jobs: number,
  consume: (queueUrl: string) => Promise<number>,
): Promise<RunFigures> {
  const url = await server.createQueue(prefix, { VisibilityTimeout: String(VISIBILITY_TIMEOUT) });
  await enqueue(server, url, jobs);
  await server.resetRequestCounts();
  const before = jobRuns.count;
  const ms = await consume(url);
  const requests = await server.requestCounts();
  const ran = jobRuns.count - before;
  const left = await server.countMessages(url);
  await server.deleteQueue(url);
  if (ran < jobs || left !== 0)
    throw new Error(`${prefix}: ${ran} of ${jobs} jobs ran, ${left} left`);
  return { ms, jobsPerSecond: (jobs * 1000) / ms, requests };
}

// Both sides consume the same envelopes, sent the fast way before the clock starts.
async function enqueue(server: FauxqsServer, queueUrl: string, jobs: number): Promise<void> {
  const driver = new SQSQueueDriver({ ...server.clientConfig });
  const items: EnqueueItem<typeof noopJob>[] = Array.from({ length: jobs }, (_, i) => ({
    job: noopJob,
    payload: samplePayload(i),
    options: { queue: queueUrl },
  }));
  await new JobService(driver).enqueueBatch(items);
  await driver.dispose();
}

async function runPoller(
  server: FauxqsServer,
  queueUrl: string,
  jobs: number,
  concurrency: number,
): Promise<number> {
  const driver = new SQSQueueDriver({ ...server.clientConfig, queues: { default: queueUrl } });
  const watch = watchCompletions(driver.client, jobs);
  const handler = bootstrapWorker({ jobs: [noopJob], driver });
  const poller = startPoller({
    handler,
    driver,
    queue: "default",
    batchSize: BATCH_SIZE,
    concurrency,
    waitTimeSeconds: WAIT_TIME_SECONDS,
    visibilityTimeout: VISIBILITY_TIMEOUT,
    stopOnSignals: [],
    logger: silentLogger,
  });
  const end = await withTimeout(watch.done, timeoutMs(jobs), "the poller").finally(() =>
    poller.stop(),
  );
  await driver.dispose();
  return end - (watch.firstReceiveAt ?? end);
}

async function runSqsConsumer(
  server: FauxqsServer,
  queueUrl: string,
  jobs: number,
  concurrency: number,
): Promise<number> {
  const client = new SQSClient(server.clientConfig);
  const watch = watchCompletions(client, jobs);
  const errors: Error[] = [];
  let stopping = false;
  // sqs-consumer runs one batch at a time per consumer: `concurrency` consumers share a client.
  const consumers = Array.from({ length: concurrency }, () => {
    const consumer = Consumer.create({
      queueUrl,
      sqs: client,
      batchSize: BATCH_SIZE,
      waitTimeSeconds: WAIT_TIME_SECONDS,
      visibilityTimeout: VISIBILITY_TIMEOUT,
      messageAttributeNames: ["All"],
      // The same system attributes as our receive: a job runner needs the receive count for its
      // attempts and retries, so both sides parse the same responses.
      messageSystemAttributeNames: [...RECEIVE_SYSTEM_ATTRIBUTES],
      handleMessageBatch: async (messages) => {
        for (const message of messages) parseAndValidate(message.Body ?? "");
        return messages;
      },
    });
    // Stopping aborts the long polls in flight: those errors are expected.
    consumer.on("error", (error) => stopping || errors.push(error));
    consumer.on("processing_error", (error) => errors.push(error));
    return consumer;
  });
  for (const consumer of consumers) consumer.start();
  const end = await withTimeout(watch.done, timeoutMs(jobs), "sqs-consumer").finally(() => {
    stopping = true;
    for (const consumer of consumers) consumer.stop({ abort: true });
  });
  client.destroy();
  if (errors.length > 0) throw new AggregateError(errors, "sqs-consumer reported errors");
  return end - (watch.firstReceiveAt ?? end);
}

runIfMain(import.meta.url, () => endToEnd());
