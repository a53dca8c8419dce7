import { glassworkHandler, powertoolsHandler, type SqsHandler } from "./internal/handlers.js";
import { type BenchResult, row, runIfMain } from "./internal/result.js";
import { jobRuns } from "./internal/sample-job.js";
import { lambdaContext, sampleSqsEvent } from "./internal/sqs-event.js";
import { median, timeMs } from "./internal/stats.js";

/** Sizes of {@link workerOverhead}. */
export interface WorkerOverheadOptions {
  /** Records per measured run (10-record events). Default 200,000. */
  readonly records?: number;
  /** Measured runs per side, interleaved; the median is reported. Default 5. */
  readonly runs?: number;
  /** Records of the unmeasured warm-up per side. Default 100,000. */
  readonly warmupRecords?: number;
}

const TARGET_RECORDS_PER_SECOND = 200_000;

/**
 * Worker overhead: 10-record SQS events of a no-op job with a valibot schema, handed to the
 * handler in a loop without I/O: `bootstrapWorker` against Powertools' `processPartialResponse`.
 */
export async function workerOverhead(options: WorkerOverheadOptions = {}): Promise<BenchResult> {
  const { records = 200_000, runs = 5, warmupRecords = 100_000 } = options;
  const ours = glassworkHandler();
  const peer = powertoolsHandler();
  const event = sampleSqsEvent(10);
  const context = lambdaContext();
  const loop = (handler: SqsHandler, n: number) => runLoop(handler, event, context, n);

  await loop(ours.handler, warmupRecords);
  await loop(peer, warmupRecords);
  const oursMs: number[] = [];
  const peerMs: number[] = [];
  for (let i = 0; i < runs; i++) {
    oursMs.push(await loop(ours.handler, records));
    peerMs.push(await loop(peer, records));
  }
  if (ours.driver.unexpectedCalls > 0) throw new Error("the worker did I/O for a no-op job");

  const perRecordUs = (ms: number) => (ms * 1000) / records;
  const oursUs = perRecordUs(median(oursMs));
  const peerUs = perRecordUs(median(peerMs));
  return {
    name: "worker-overhead",
    peer: "@aws-lambda-powertools/batch processPartialResponse",
    notes: [
      `${records.toLocaleString("en-US")} records a run in 10-record events, median of ${runs} interleaved runs after ${warmupRecords.toLocaleString("en-US")} warm-up records each; no I/O (a driver that counts calls proves it).`,
      "Both validate the same valibot object schema; ours with its defaults (JSON logger at info, deadline timers, hooks none).",
    ],
    rows: [
      row("per-record time (µs)", oursUs, peerUs, "≤ 1.0× peer", (_, r) => r !== null && r <= 1),
      row(
        "records/s",
        1e6 / oursUs,
        1e6 / peerUs,
        `≥ ${TARGET_RECORDS_PER_SECOND.toLocaleString("en-US")}`,
        (o) => o >= TARGET_RECORDS_PER_SECOND,
      ),
    ],
    details: { records, runs, warmupRecords, batchSize: 10, oursMs, peerMs },
  };
}

/** Runs `records` records through `handler` in 10-record events; resolves with the time taken. */
async function runLoop(
  handler: SqsHandler,
  event: ReturnType<typeof sampleSqsEvent>,
  context: ReturnType<typeof lambdaContext>,
  records: number,
): Promise<number> {
  const invocations = Math.ceil(records / event.Records.length);
  const before = jobRuns.count;
  let failures = 0;
  const ms = await timeMs(async () => {
    for (let i = 0; i < invocations; i++) {
      failures += (await handler(event, context)).batchItemFailures.length;
    }
  });
  const ran = jobRuns.count - before;
  const expected = invocations * event.Records.length;
  if (failures > 0 || ran !== expected) {
    throw new Error(
      `expected ${expected} successful records, ran ${ran} with ${failures} failures`,
    );
  }
  return ms;
}

runIfMain(import.meta.url, () => workerOverhead());
