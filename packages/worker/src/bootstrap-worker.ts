import {
  type AnyJobDefinition,
  createJsonLogger,
  DuplicateJobNameError,
  EnvelopeSigner,
  type Logger,
  type PeriodicJobContext,
  type PeriodicJobDefinition,
  type QueueDriver,
  type RetryOption,
  resolveRetryPolicy,
  type Services,
  type SigningKey,
  UnknownJobError,
  UnsupportedEventError,
} from "@glasswork/core";
import type { Context, SQSBatchResponse, SQSEvent } from "aws-lambda";
import { Deadline } from "./internal/deadline.js";
import { deadlineMarginMs } from "./internal/deadline-margin.js";
import { HOLD_WHILE_RUNNING, type HoldWhileRunning } from "./internal/hold-while-running.js";
import { afterHooks, startHooks } from "./internal/lifecycle-hooks.js";
import { isFailure, processBatch } from "./internal/process-batch.js";
import { runAroundHooks } from "./internal/run-around-hooks.js";
import { RunLedger } from "./internal/run-ledger.js";
import { SETTLE } from "./internal/settle.js";
import type { Invocation, WorkerRuntime } from "./internal/worker-runtime.js";
import { recordToMessage } from "./lambda-record.js";
import {
  type PeriodicDetailEvent,
  type PeriodicInvocation,
  readPeriodicInvocation,
} from "./periodic-invocation.js";
import type { JobExecution, JobOutcome, WorkerHooks } from "./worker-hooks.js";

/** Options of {@link bootstrapWorker}. */
export interface WorkerOptions {
  /** Every job this worker runs: queue jobs and periodic jobs. Names must be unique. */
  jobs: readonly (AnyJobDefinition | PeriodicJobDefinition)[];
  /** The transport, for retries (visibility), relays and dead-lettering. */
  driver: QueueDriver;
  /** Lifecycle hooks, e.g. from `@glasswork/otel`. */
  hooks?: readonly WorkerHooks[];
  /** The app's services (typed through `Register`), or a factory run once per cold start. */
  services?: Services | (() => Services | Promise<Services>);
  /** Default: JSON lines on stdout at level `info`. Pass a pino logger as it is. */
  logger?: Logger;
  /** Standard-queue records run at the same time. Default 10. */
  concurrency?: number;
  /**
   * A hook that has not settled after this long is logged and left behind. Default 2,000 ms.
   * Near the deadline a hook gets less — what is left of the invocation before its last sixth of
   * the margin — so that slow hooks cannot push it past its deadline.
   */
  hookTimeoutMs?: number;
  /**
   * At this much remaining time the job signal fires and no record starts; a third of it is
   * kept to report outcomes. Default 3,000 ms. It is a cap: an invocation uses at most a third
   * of its time as margin, so a function with Lambda's default 3 s timeout keeps 2 s for jobs
   * (and the worker warns once, at cold start, that the margin was cut).
   */
  deadlineMarginMs?: number;
  /** Retries of messages whose job name this worker does not know (deploy skew). Default 25 attempts. */
  unknownJobRetry?: RetryOption;
  /** Random source of the backoff jitter, for tests. */
  random?: () => number;
  /** Clock, for tests. */
  now?: () => number;
  /**
   * Accept only messages signed with one of these keys (the producer's `signingKey`); others go
   * to the dead-letter queue with reason `signature`. List the new key and the old one while
   * rotating.
   */
  signingKeys?: readonly SigningKey[];
}

/** The events a worker handler accepts. */
export type WorkerEvent = SQSEvent | PeriodicInvocation | PeriodicDetailEvent;

/**
 * The Lambda handler. For SQS events it resolves with the failed records (enable
 * `ReportBatchItemFailures` on the event source mapping); for periodic invocations it resolves
 * with nothing, or rejects so that the scheduler retries.
 */
export type WorkerHandler = {
  (event: SQSEvent, context: Context): Promise<SQSBatchResponse>;
  (event: PeriodicInvocation | PeriodicDetailEvent, context: Context): Promise<void>;
  (event: WorkerEvent, context: Context): Promise<SQSBatchResponse | undefined>;
};

/**
 * Builds the worker's Lambda handler.
 *
 * @example
 * export const handler = bootstrapWorker({
 *   jobs: [sendWelcomeEmail, dailyCleanup],
 *   driver: new SQSQueueDriver({ queues: { default: process.env.JOBS_QUEUE_URL } }),
 *   services: async () => ({ db: await connect(process.env.DATABASE_URL) }),
 * });
 */
export function bootstrapWorker(options: WorkerOptions): WorkerHandler {
  const rt = createRuntime(options);
  const services = memoizeServices(options.services);
  let checkedRedrive = false;
  let coldStart = true;

  const handler = async (
    event: WorkerEvent,
    context: Context,
  ): Promise<SQSBatchResponse | undefined> => {
    if (!checkedRedrive) {
      checkedRedrive = true;
      void warnAboutRedrive(rt);
    }
    if (coldStart) {
      coldStart = false;
      warnAboutShortTimeout(rt, remainingTime(context));
    }
    const periodic = readPeriodicInvocation(event);
    if (periodic) {
      await runPeriodic(rt, await services(), periodic, context);
      return undefined;
    }
    if (!isSqsEvent(event)) throw new UnsupportedEventError(eventSourceOf(event));
    return handleSqsEvent(rt, await services(), event, context);
  };
  return handler as WorkerHandler;
}

async function handleSqsEvent(
  rt: WorkerRuntime,
  services: Services,
  event: SQSEvent,
  context: Context,
): Promise<SQSBatchResponse> {
  const remainingMs = remainingTime(context);
  const deadline = new Deadline(remainingMs, deadlineMarginMs(remainingMs, rt.deadlineMarginMs));
  const invocation: Invocation = {
    services,
    deadline,
    startedAt: rt.now(),
    settle: settlerOf(context),
    holdWhileRunning: (context as { [HOLD_WHILE_RUNNING]?: HoldWhileRunning })[HOLD_WHILE_RUNNING],
  };
  try {
    const messages = event.Records.map(recordToMessage);
    const outcomes = await processBatch(rt, invocation, messages);
    return {
      batchItemFailures: messages.flatMap((message, i) =>
        isFailure(outcomes[i]) ? [{ itemIdentifier: message.messageId }] : [],
      ),
    };
  } finally {
    deadline.dispose();
  }
}

async function runPeriodic(
  rt: WorkerRuntime,
  services: Services,
  invocation: PeriodicInvocation,
  context: Context,
): Promise<void> {
  const job = rt.periodicJobs.get(invocation.jobName);
  if (!job) throw new UnknownJobError(invocation.jobName);
  const remainingMs = remainingTime(context);
  const deadline = new Deadline(remainingMs, deadlineMarginMs(remainingMs, rt.deadlineMarginMs));
  const execution: JobExecution = {
    // A rule event's id survives the scheduler's retries; the request id does not.
    jobId: invocation.id ?? context.awsRequestId,
    jobName: job.name,
    queue: "schedule",
    messageId: context.awsRequestId,
    attempt: 1,
    enqueuedAt: new Date(rt.now()),
    payload: invocation.payload,
    meta: {},
    kind: "periodic",
  };
  const ctx: PeriodicJobContext = {
    jobId: execution.jobId,
    jobName: execution.jobName,
    queue: execution.queue,
    attempt: 1,
    enqueuedAt: execution.enqueuedAt,
    meta: {},
    logger: rt.logger.child({ jobId: execution.jobId, jobName: job.name, attempt: 1 }),
    signal: deadline.signal,
    services,
    input: invocation.payload,
  };
  try {
    const outcome = await runAroundHooks(
      rt.hooks,
      execution,
      rt.logger,
      () => deadline.hookTimeoutMs(rt.hookTimeoutMs),
      async (): Promise<JobOutcome> => {
        await startHooks(rt, deadline, execution, ctx);
        const startedAt = performance.now();
        try {
          await job.handler(ctx);
        } catch (error) {
          const durationMs = performance.now() - startedAt;
          ctx.logger.error({ err: error }, "periodic job failed");
          await afterHooks(rt, deadline, "onJobFailed", (h) =>
            h.onJobFailed?.(execution, ctx, {
              error,
              willRetry: true,
              retryDelaySeconds: undefined,
              durationMs,
            }),
          );
          return { status: "retry", error, durationMs };
        }
        const durationMs = performance.now() - startedAt;
        await afterHooks(rt, deadline, "onJobComplete", (h) =>
          h.onJobComplete?.(execution, ctx, { durationMs }),
        );
        return { status: "completed", durationMs };
      },
    );
    if (outcome.status !== "completed") throw outcome.error;
  } finally {
    deadline.dispose();
  }
}

function createRuntime(options: WorkerOptions): WorkerRuntime {
  const jobs = new Map<string, AnyJobDefinition>();
  const periodicJobs = new Map<string, PeriodicJobDefinition>();
  for (const job of options.jobs) {
    if (jobs.has(job.name) || periodicJobs.has(job.name)) {
      throw new DuplicateJobNameError(job.name);
    }
    if (job.kind === "periodic") periodicJobs.set(job.name, job);
    else jobs.set(job.name, job);
  }
  const concurrency = options.concurrency ?? 10;
  if (!Number.isInteger(concurrency) || concurrency < 1) {
    throw new RangeError(`concurrency must be an integer >= 1, got ${concurrency}`);
  }
  return {
    driver: options.driver,
    jobs,
    periodicJobs,
    hooks: options.hooks ?? [],
    logger: options.logger ?? createJsonLogger(),
    concurrency,
    hookTimeoutMs: options.hookTimeoutMs ?? 2_000,
    deadlineMarginMs: options.deadlineMarginMs ?? 3_000,
    unknownJobRetry: resolveRetryPolicy(options.unknownJobRetry),
    random: options.random ?? Math.random,
    now: options.now ?? Date.now,
    signer: options.signingKeys ? new EnvelopeSigner(options.signingKeys) : undefined,
    ledger: new RunLedger(),
  };
}

// Services are created on the first invocation and shared by the next ones; a failed creation
// fails that invocation and is tried again by the next.
function memoizeServices(services: WorkerOptions["services"]): () => Promise<Services> {
  let pending: Promise<Services> | undefined;
  return () => {
    if (!pending) {
      pending = Promise.resolve(
        typeof services === "function"
          ? (services as () => Services | Promise<Services>)()
          : (services as Services),
      );
      pending.catch(() => {
        pending = undefined;
      });
    }
    return pending;
  };
}

async function warnAboutRedrive(rt: WorkerRuntime): Promise<void> {
  const queues = new Map<string, AnyJobDefinition[]>();
  for (const job of rt.jobs.values())
    queues.set(job.queue, [...(queues.get(job.queue) ?? []), job]);
  await Promise.all(
    [...queues].map(async ([queue, jobs]) => {
      try {
        const info = await rt.driver.queueInfo(queue);
        if (info.maxReceiveCount === undefined) return;
        for (const job of jobs) {
          if (job.retry.maxAttempts > info.maxReceiveCount) {
            rt.logger.warn(
              {
                queue,
                jobName: job.name,
                maxAttempts: job.retry.maxAttempts,
                maxReceiveCount: info.maxReceiveCount,
              },
              `job "${job.name}" allows ${job.retry.maxAttempts} attempts but queue "${queue}" moves messages to its dead-letter queue after ${info.maxReceiveCount} receives: raise maxReceiveCount to at least ${job.retry.maxAttempts}`,
            );
          }
        }
      } catch (error) {
        rt.logger.warn(
          { queue, err: error },
          "could not read the queue's redrive policy to check maxReceiveCount",
        );
      }
    }),
  );
}

// S3, SNS, DynamoDB-stream and Kinesis events have `Records` too: only records that say they
// come from SQS make an SQS event.
function isSqsEvent(event: WorkerEvent): event is SQSEvent {
  if (typeof event !== "object" || event === null) return false;
  const records: unknown = (event as { Records?: unknown }).Records;
  return (
    Array.isArray(records) &&
    records.every((r) => (r as { eventSource?: unknown } | null)?.eventSource === "aws:sqs")
  );
}

function eventSourceOf(event: unknown): string | undefined {
  const records: unknown = (event as { Records?: unknown } | null)?.Records;
  if (!Array.isArray(records)) return undefined;
  const record = records.find((r) => (r as { eventSource?: unknown })?.eventSource !== "aws:sqs") as
    | { eventSource?: unknown; EventSource?: unknown }
    | undefined;
  // SNS spells it `EventSource`.
  const source = record?.eventSource ?? record?.EventSource;
  return typeof source === "string" ? source.slice(0, 64) : "an unknown source";
}

// A short function timeout leaves the configured margin no room: the margin is cut to a third
// of the time, which is easy to miss, so the first invocation says so once.
function warnAboutShortTimeout(rt: WorkerRuntime, remainingMs: number): void {
  const marginMs = deadlineMarginMs(remainingMs, rt.deadlineMarginMs);
  if (marginMs >= rt.deadlineMarginMs) return;
  rt.logger.warn(
    { remainingMs, deadlineMarginMs: rt.deadlineMarginMs, effectiveMarginMs: Math.round(marginMs) },
    `the function has ${remainingMs} ms for this invocation, too little for deadlineMarginMs (${rt.deadlineMarginMs} ms): the margin is cut to ${Math.round(marginMs)} ms, so jobs get about ${Math.round(remainingMs - marginMs)} ms per invocation. Raise the function's timeout to at least ${Math.ceil((rt.deadlineMarginMs * 3) / 1000)} s (and the queue's visibility timeout to 6 times it)`,
  );
}

function remainingTime(context: Context | undefined): number {
  // Without the method (a hand-made context) there is no deadline; with it, 0 means none left.
  const remaining = context?.getRemainingTimeInMillis?.();
  return typeof remaining === "number" && Number.isFinite(remaining)
    ? Math.max(0, remaining)
    : Number.POSITIVE_INFINITY;
}

function settlerOf(context: Context): (messageId: string) => Promise<void> {
  const settle = (context as { [SETTLE]?: (messageId: string) => Promise<void> })[SETTLE];
  return settle ?? (() => Promise.resolve());
}
