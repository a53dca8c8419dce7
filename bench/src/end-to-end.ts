import { SQSClient } from "@aws-sdk/client-sqs";
import { silentLogger } from "@glasswork/core";
import { RECEIVE_SYSTEM_ATTRIBUTES, SQSQueueDriver } from "@glasswork/driver-sqs";
import { bootstrapWorker, startPoller } from "@glasswork/worker";
import { Consumer } from "sqs-consumer";
import { alternate, MIN_ROUNDS } from "./internal/alternate.js";
import { type CompletionWatch, watchCompletions } from "./internal/completion-watch.js";
import { enqueueSampleJobs } from "./internal/enqueue-sample-jobs.js";
import { type FauxqsServer, startFauxqsServer } from "./internal/fauxqs-server.js";
import { type BenchResult, ratioAtLeast, ratioAtMost, row, runIfMain } from "./internal/result.js";
import { jobRuns, noopJob, parseAndValidate } from "./internal/sample-job.js";
import { spread } from "./internal/stats.js";
import { withTimeout } from "./internal/with-timeout.js";

/** Sizes of {@link endToEnd}. */
export interface EndToEndOptions {
  /** Jobs per run. Default 10,000. */
  readonly jobs?: number;
  /** Batches in flight at once, on both sides. Default 4. */
  readonly concurrency?: number;
  /** Rounds, one run per side each, the order alternating. Default 9. */
  readonly rounds?: number;
  /**
   * Jobs of the unmeasured warm-up run per side. Default 40,000 (four runs' worth): after 10,000,
   * both sides still got cheaper round after round (the first rounds 20–35 % above the last);
   * after 40,000 the rounds are level but for single outliers.
   */
  readonly warmupJobs?: number;
}

/** The figures of one run of one side. */
export interface RunFigures {
  readonly ms: number;
  readonly jobsPerSecond: number;
  /** The client process's CPU time (user + system) per job, first receive to last delete. */
  readonly cpuUsPerJob: number;
  /** Requests the server received during the run, by action. */
  readonly requests: Record<string, number>;
  /** Of those, the long polls still waiting when the last job was deleted (not in the window). */
  readonly receivesWaitingAtDone: number;
  /** The requests of the window (all of them but those waiting long polls), per job. */
  readonly requestsPerJob: number;
  /** TCP connections the server accepted from the consumer during the run. */
  readonly sockets: number;
}

/** What a consumer reports of its run: the same watch on both sides. */
type Consume = (queueUrl: string) => Promise<CompletionWatch>;

const BATCH_SIZE = 10;
const VISIBILITY_TIMEOUT = 30;
// A busy queue answers a receive at once whatever the wait; the wait only matters at the end of a
// run, where the poller's stop() lets a long poll in flight finish (an abandoned one would strand
// a message on SQS's side). 1 s keeps each run's teardown short.
const WAIT_TIME_SECONDS = 1;
// Both sides' clients: the server's config with the SDK's `cacheMiddleware`, which a busy
// consumer would turn on (the driver README shows it). It only serves sends without per-request
// options: sqs-consumer gives every request an abort signal, so its requests resolve the
// middleware stack each time whatever the config; our poller sends none.
const clientConfigOf = (server: FauxqsServer) => ({
  ...server.clientConfig,
  cacheMiddleware: true,
});
// Generous: a healthy run of 10,000 jobs takes seconds.
const timeoutMs = (jobs: number) => 60_000 + jobs * 20;

/**
 * End to end: `jobs` no-op jobs, enqueued beforehand, received, run and deleted through
 * `startPoller` + `bootstrapWorker`, against sqs-consumer with the same batch size, the same
 * number of batches in flight and the same work, each on a fresh queue of the same server.
 * Timed from the first ReceiveMessage until the last job is deleted.
 */
export async function endToEnd(options: EndToEndOptions = {}): Promise<BenchResult> {
  const { jobs = 10_000, concurrency = 4, rounds = MIN_ROUNDS, warmupJobs = 40_000 } = options;
  const server = await startFauxqsServer();
  const ours = (n: number) =>
    measure(server, "e2e-ours", n, (url) => runPoller(server, url, n, concurrency));
  const peer = (n: number) =>
    measure(server, "e2e-peer", n, (url) => runSqsConsumer(server, url, n, concurrency));
  try {
    await ours(warmupJobs);
    await peer(warmupJobs);
    const runs = await alternate(
      rounds,
      () => ours(jobs),
      () => peer(jobs),
    );
    type Key = "jobsPerSecond" | "cpuUsPerJob" | "requestsPerJob" | "sockets";
    const byRound = (side: readonly RunFigures[], key: Key) => side.map((r) => r[key]);
    const of = (side: readonly RunFigures[], key: Key) => spread(byRound(side, key));
    return {
      name: "end-to-end",
      peer: `sqs-consumer 15 (${concurrency} consumers)`,
      notes: [
        `${jobs.toLocaleString("en-US")} jobs a run; ${rounds} rounds, one run per side each, the order alternating (ours–peer, peer–ours, …), after a ${warmupJobs.toLocaleString("en-US")}-job warm-up per side; median (min–max) of the runs, the ratio from the medians. Batch size ${BATCH_SIZE}, ${concurrency} batches in flight, ${VISIBILITY_TIMEOUT} s visibility, ${WAIT_TIME_SECONDS} s long polls, each run on a fresh queue.`,
        "Both clients are made from the same config, with the SDK's cacheMiddleware on: it serves only sends without per-request options, which our poller's are; sqs-consumer passes an abort signal with every request, so its requests resolve the middleware stack each time.",
        "Timed from the first ReceiveMessage to the last delete, both seen by the same SDK middleware, by the clock (jobs/s) and by the client process's CPU time (process.cpuUsage, user + system); fauxqs runs in its own process, so its CPU is not counted. Requests (every action, SDK retries included) and sockets (TCP connections accepted) are counted on the server; requests per job leaves out the long polls still waiting when the last job was deleted (at most one per consumer; they can only find the queue empty).",
      ],
      rows: [
        row(
          "jobs/s",
          byRound(runs.ours, "jobsPerSecond"),
          byRound(runs.peer, "jobsPerSecond"),
          ...ratioAtLeast(1),
        ),
        row(
          "client CPU per job (µs)",
          byRound(runs.ours, "cpuUsPerJob"),
          byRound(runs.peer, "cpuUsPerJob"),
          ...ratioAtMost(1),
        ),
        row(
          "requests per job",
          of(runs.ours, "requestsPerJob"),
          of(runs.peer, "requestsPerJob"),
          ...ratioAtMost(1),
        ),
        row("sockets", of(runs.ours, "sockets"), of(runs.peer, "sockets"), "—"),
      ],
      details: {
        jobs,
        concurrency,
        rounds,
        warmupJobs,
        batchSize: BATCH_SIZE,
        ours: runs.ours,
        peer: runs.peer,
      },
    };
  } finally {
    await server.stop();
  }
}

/**
 * One run of one side on a fresh queue: what `endToEnd` samples, exported for profiling a side
 * alone (`src/internal/profile-end-to-end.ts`). `around` wraps the consuming part only.
 */
export function runSide(
  server: FauxqsServer,
  side: "ours" | "peer",
  jobs: number,
  concurrency = 4,
  around: <T>(consume: () => Promise<T>) => Promise<T> = (consume) => consume(),
): Promise<RunFigures> {
  const consume: Consume =
    side === "ours"
      ? (url) => around(() => runPoller(server, url, jobs, concurrency))
      : (url) => around(() => runSqsConsumer(server, url, jobs, concurrency));
  return measure(server, `e2e-${side}`, jobs, consume);
}

async function measure(
  server: FauxqsServer,
  prefix: string,
  jobs: number,
  consume: Consume,
): Promise<RunFigures> {
  const url = await server.createQueue(prefix, { VisibilityTimeout: String(VISIBILITY_TIMEOUT) });
  // Both sides consume the same envelopes.
  await enqueueSampleJobs(server, url, jobs);
  await server.resetRequestCounts();
  const before = jobRuns.count;
  const watch = await consume(url);
  const requests = await server.requestCounts();
  const sockets = await server.socketCount();
  const ran = jobRuns.count - before;
  const left = await server.countMessages(url);
  await server.deleteQueue(url);
  if (ran < jobs || left !== 0)
    throw new Error(`${prefix}: ${ran} of ${jobs} jobs ran, ${left} left`);
  const { firstReceiveAt, doneCpuMicros, firstReceiveCpuMicros, receivesWaitingAtDone = 0 } = watch;
  const doneAt = await watch.done;
  if (
    firstReceiveAt === undefined ||
    firstReceiveCpuMicros === undefined ||
    doneCpuMicros === undefined
  ) {
    throw new Error(`${prefix}: the watch saw no receive or no last delete`);
  }
  const ms = doneAt - firstReceiveAt;
  const total = Object.values(requests).reduce((sum, n) => sum + n, 0);
  return {
    ms,
    jobsPerSecond: (jobs * 1000) / ms,
    cpuUsPerJob: (doneCpuMicros - firstReceiveCpuMicros) / jobs,
    requests,
    receivesWaitingAtDone,
    requestsPerJob: (total - receivesWaitingAtDone) / jobs,
    sockets,
  };
}

async function runPoller(
  server: FauxqsServer,
  queueUrl: string,
  jobs: number,
  concurrency: number,
): Promise<CompletionWatch> {
  // Our client, as on the peer's side: the same config, and the watch on it before any request.
  const client = new SQSClient(clientConfigOf(server));
  const driver = new SQSQueueDriver({ client, queues: { default: queueUrl } });
  const watch = watchCompletions(client, jobs);
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
  await withTimeout(watch.done, timeoutMs(jobs), "the poller").finally(() => poller.stop());
  await driver.dispose();
  client.destroy();
  return watch;
}

async function runSqsConsumer(
  server: FauxqsServer,
  queueUrl: string,
  jobs: number,
  concurrency: number,
): Promise<CompletionWatch> {
  const client = new SQSClient(clientConfigOf(server));
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
  await withTimeout(watch.done, timeoutMs(jobs), "sqs-consumer").finally(() => {
    stopping = true;
    for (const consumer of consumers) consumer.stop({ abort: true });
  });
  client.destroy();
  if (errors.length > 0) throw new AggregateError(errors, "sqs-consumer reported errors");
  return watch;
}

runIfMain(import.meta.url, () => endToEnd());
