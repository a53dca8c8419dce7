import { alternate, MIN_ROUNDS } from "./internal/alternate.js";
import { type Timing, timeCpu } from "./internal/cpu-clock.js";
import {
  glassworkHandler,
  type HandlerShape,
  powertoolsHandler,
  type SqsHandler,
} from "./internal/handlers.js";
import {
  type BenchResult,
  type ResultRow,
  ratioAtMost,
  row,
  runIfMain,
} from "./internal/result.js";
import { jobRuns, noopAsyncJob, noopJob } from "./internal/sample-job.js";
import { lambdaContext, sampleSqsEvent } from "./internal/sqs-event.js";
import { type Spread, spread } from "./internal/stats.js";

/** Sizes of {@link workerOverhead}. */
export interface WorkerOverheadOptions {
  /** Records per measured run (10-record events). Default 200,000. */
  readonly records?: number;
  /** Rounds per variant, one run per side each, the order alternating. Default 9. */
  readonly rounds?: number;
  /** Records of the unmeasured warm-up per side and variant. Default 100,000. */
  readonly warmupRecords?: number;
}

interface VariantFigures {
  readonly shape: HandlerShape;
  readonly ours: Timing[];
  readonly peer: Timing[];
}

const SHAPES: readonly HandlerShape[] = ["sync", "async"];
const TARGET_RECORDS_PER_SECOND = 200_000;
/** Ours over Powertools, CPU time per record, at the medians of one run (issue 14). */
const CPU_TARGET: Record<HandlerShape, number> = { sync: 0.85, async: 0.95 };

/**
 * Worker overhead: 10-record SQS events of a no-op job with a valibot schema, handed to the
 * handler in a loop without I/O: `bootstrapWorker` against Powertools' batch utility, in two
 * variants of the same shape on both sides: a sync job against `processPartialResponseSync`, an
 * async job against `processPartialResponse`.
 */
export async function workerOverhead(options: WorkerOverheadOptions = {}): Promise<BenchResult> {
  const { records = 200_000, rounds = MIN_ROUNDS, warmupRecords = 100_000 } = options;
  const variants: VariantFigures[] = [];
  for (const shape of SHAPES)
    variants.push(await measureVariant(shape, records, rounds, warmupRecords));

  const perRecordUs = (ms: number) => (ms * 1000) / records;
  // In round order, so that the rows also give the rounds' own ratios.
  const us = (timings: readonly Timing[], key: keyof Timing) =>
    timings.map((t) => perRecordUs(t[key]));
  const rate = (s: Spread): Spread => ({
    min: 1e6 / s.max,
    median: 1e6 / s.median,
    max: 1e6 / s.min,
  });
  const rows: ResultRow[] = [];
  for (const { shape, ours, peer } of variants) {
    const target = CPU_TARGET[shape];
    rows.push(
      row(
        `${shape}: CPU per record (µs)`,
        us(ours, "cpuMs"),
        us(peer, "cpuMs"),
        ...ratioAtMost(target),
      ),
      // The target is on CPU time (issue 14); wall time is beside it, a reference.
      row(`${shape}: wall per record (µs)`, us(ours, "wallMs"), us(peer, "wallMs"), "—"),
      row(
        `${shape}: records/s (wall)`,
        rate(spread(us(ours, "wallMs"))),
        rate(spread(us(peer, "wallMs"))),
        `≥ ${TARGET_RECORDS_PER_SECOND.toLocaleString("en-US")}`,
        (o) => o >= TARGET_RECORDS_PER_SECOND,
      ),
    );
  }
  return {
    name: "worker-overhead",
    peer: "@aws-lambda-powertools/batch: processPartialResponseSync (sync), processPartialResponse (async)",
    notes: [
      `${records.toLocaleString("en-US")} records a run in 10-record events; ${rounds} rounds per variant, one run per side each, the order alternating (ours–peer, peer–ours, …), after ${warmupRecords.toLocaleString("en-US")} warm-up records per side; median (min–max) of the runs, the ratio from the medians. No I/O (a driver that counts calls proves it).`,
      "CPU = process.cpuUsage (user + system) over the run; wall = performance.now(). Both validate the same valibot object schema; ours with its defaults (JSON logger at info, deadline timers, hooks none). sync: our job's handler is synchronous, Powertools' record handler too (BatchProcessorSync); async: both are `async` functions (BatchProcessor).",
    ],
    rows,
    details: {
      records,
      rounds,
      warmupRecords,
      batchSize: 10,
      variants: variants.map(({ shape, ours, peer }) => ({ shape, ours, peer })),
    },
  };
}

async function measureVariant(
  shape: HandlerShape,
  records: number,
  rounds: number,
  warmupRecords: number,
): Promise<VariantFigures> {
  const ours = glassworkHandler(shape);
  const peer = powertoolsHandler(shape);
  const job = shape === "sync" ? noopJob : noopAsyncJob;
  const event = sampleSqsEvent(10, 0, job.name);
  const context = lambdaContext();
  const loop = (handler: SqsHandler, n: number) =>
    timeCpu(() => runLoop(handler, event, context, n));

  await loop(ours.handler, warmupRecords);
  await loop(peer, warmupRecords);
  const runs = await alternate(
    rounds,
    () => loop(ours.handler, records),
    () => loop(peer, records),
  );
  if (ours.driver.unexpectedCalls > 0) throw new Error("the worker did I/O for a no-op job");
  return { shape, ...runs };
}

/** Runs `records` records through `handler` in 10-record events, checking every one ran. */
async function runLoop(
  handler: SqsHandler,
  event: ReturnType<typeof sampleSqsEvent>,
  context: ReturnType<typeof lambdaContext>,
  records: number,
): Promise<void> {
  const invocations = Math.ceil(records / event.Records.length);
  const before = jobRuns.count;
  let failures = 0;
  for (let i = 0; i < invocations; i++) {
    failures += (await handler(event, context)).batchItemFailures.length;
  }
  const ran = jobRuns.count - before;
  const expected = invocations * event.Records.length;
  if (failures > 0 || ran !== expected) {
    throw new Error(
      `expected ${expected} successful records, ran ${ran} with ${failures} failures`,
    );
  }
}

runIfMain(import.meta.url, () => workerOverhead());
