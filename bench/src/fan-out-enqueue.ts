import { type MessageAttributeValue, SendMessageCommand, SQSClient } from "@aws-sdk/client-sqs";
import { type EnqueueItem, JobService } from "@glasswork/core";
import { SQSQueueDriver } from "@glasswork/driver-sqs";
import { alternate, MIN_ROUNDS } from "./internal/alternate.js";
import { timeCpu } from "./internal/cpu-clock.js";
import { type FauxqsServer, startFauxqsServer } from "./internal/fauxqs-server.js";
import { type BenchResult, ratioAtMost, row, runIfMain } from "./internal/result.js";
import {
  noopJob,
  type SamplePayload,
  sampleMessage,
  samplePayload,
} from "./internal/sample-job.js";
import { spread } from "./internal/stats.js";

/** Sizes of {@link fanOutEnqueue}. */
export interface FanOutOptions {
  /** Jobs per measured run. Default 10,000. */
  readonly jobs?: number;
  /** Rounds, one run per side each, the order alternating. Default 9. */
  readonly rounds?: number;
  /** SDK requests each side sends to warm up, unmeasured. Default 4,000. */
  readonly warmupRequests?: number;
}

interface RunFigures {
  readonly ms: number;
  /** The client process's CPU time (user + system) over the run. */
  readonly cpuMs: number;
  readonly requests: number;
  readonly sent: number;
}

/**
 * Fan-out: `jobs` small jobs into fauxqs through `JobService.enqueueBatch` (SendMessageBatch,
 * 10 a request) against the naive path, one SendMessage per job all at once through
 * `Promise.all`. Requests are counted on the server.
 */
export async function fanOutEnqueue(options: FanOutOptions = {}): Promise<BenchResult> {
  const { jobs = 10_000, rounds = MIN_ROUNDS, warmupRequests = 4_000 } = options;
  const server = await startFauxqsServer();
  // One long-lived client per side, as in an app; each run gets a fresh queue.
  const driver = new SQSQueueDriver({ ...server.clientConfig, queues: {} });
  const naiveClient = new SQSClient(server.clientConfig);
  try {
    const ours = (n: number) =>
      measure(server, "fanout-ours", n, (url) => enqueueBatch(driver, url, n));
    const naive = (n: number) =>
      measure(server, "fanout-naive", n, (url) => sendEach(naiveClient, url, n));
    // Most of the client's time is the SDK's, whose code warms up per request, not per job:
    // both sides warm up with the same number of requests (ours sends 10 jobs in each).
    for (let sent = 0; sent < warmupRequests * 10; sent += jobs) {
      await ours(Math.min(jobs, warmupRequests * 10 - sent));
    }
    await naive(warmupRequests);
    const runs = await alternate(
      rounds,
      () => ours(jobs),
      () => naive(jobs),
    );
    const byRound = (side: readonly RunFigures[], key: "ms" | "cpuMs" | "requests") =>
      side.map((r) => r[key]);
    const of = (side: readonly RunFigures[], key: "requests") => spread(byRound(side, key));
    const minimum = Math.ceil(jobs / 10);
    return {
      name: "fan-out-enqueue",
      peer: "one SendMessage per job through Promise.all",
      notes: [
        `${jobs.toLocaleString("en-US")} jobs a run; ${rounds} rounds, one run per side each, the order alternating (ours–naive, naive–ours, …), after ${warmupRequests.toLocaleString("en-US")} warm-up requests a side; median (min–max), the ratio from the medians. Requests counted on the server (all actions, SDK retries included).`,
        "ours: JobService.enqueueBatch on SQSQueueDriver (10 entries a request, 10 requests in flight); naive: Promise.all over SendMessage, bounded only by the SDK's socket pool (keep-alive agent, maxSockets 50).",
        "fauxqs runs in its own process; client CPU is this process's (process.cpuUsage, user + system), which is CPU-bound (SDK signing and serialisation per request): that is why fewer requests win.",
      ],
      rows: [
        row(
          "requests",
          of(runs.ours, "requests"),
          of(runs.peer, "requests"),
          `= ${minimum} (jobs / 10)`,
          (o) => o === minimum,
        ),
        row(
          "wall time (ms)",
          byRound(runs.ours, "ms"),
          byRound(runs.peer, "ms"),
          ...ratioAtMost(0.25),
        ),
        row(
          "client CPU (ms)",
          byRound(runs.ours, "cpuMs"),
          byRound(runs.peer, "cpuMs"),
          ...ratioAtMost(0.25),
        ),
      ],
      details: { jobs, rounds, warmupRequests, ours: runs.ours, naive: runs.peer },
    };
  } finally {
    await driver.dispose();
    naiveClient.destroy();
    await server.stop();
  }
}

async function measure(
  server: FauxqsServer,
  prefix: string,
  jobs: number,
  send: (queueUrl: string) => Promise<unknown>,
): Promise<RunFigures> {
  const url = await server.createQueue(prefix);
  await server.resetRequestCounts();
  const { wallMs: ms, cpuMs } = await timeCpu(() => send(url));
  const counts = await server.requestCounts();
  const requests = Object.values(counts).reduce((sum, n) => sum + n, 0);
  const sent = await server.countMessages(url);
  await server.deleteQueue(url);
  if (sent !== jobs) throw new Error(`${prefix}: ${sent} of ${jobs} messages arrived`);
  return { ms, cpuMs, requests, sent };
}

function payloads(jobs: number): SamplePayload[] {
  return Array.from({ length: jobs }, (_, i) => samplePayload(i));
}

async function enqueueBatch(driver: SQSQueueDriver, queueUrl: string, jobs: number) {
  const service = new JobService(driver);
  const items: EnqueueItem<typeof noopJob>[] = payloads(jobs).map((payload) => ({
    job: noopJob,
    payload,
    options: { queue: queueUrl },
  }));
  await service.enqueueBatch(items);
}

// What most hand-written fan-out looks like. Its only bound is the SDK's socket pool: a
// keep-alive agent with maxSockets 50 per origin (@smithy/node-http-handler's default).
async function sendEach(client: SQSClient, queueUrl: string, jobs: number) {
  await Promise.all(
    payloads(jobs).map((payload) => {
      const { body, attributes } = sampleMessage(payload);
      return client.send(
        new SendMessageCommand({
          QueueUrl: queueUrl,
          MessageBody: body,
          MessageAttributes: stringAttributes(attributes),
        }),
      );
    }),
  );
}

function stringAttributes(
  attributes: Record<string, string>,
): Record<string, MessageAttributeValue> {
  return Object.fromEntries(
    Object.entries(attributes).map(([name, value]) => [
      name,
      { DataType: "String", StringValue: value },
    ]),
  );
}

runIfMain(import.meta.url, () => fanOutEnqueue());
