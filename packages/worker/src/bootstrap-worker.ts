import type {
  AnyJobDefinition,
  JobOutcome,
  Logger,
  PayloadStore,
  PeriodicJobDefinition,
  QueueDriver,
  ReceivedMessage,
  RetryOption,
  Services,
  SigningKey,
  WorkerHooks,
} from "@glasswork/core";
import { UnsupportedEventError } from "@glasswork/core";
import type { Context, SQSBatchItemFailure, SQSBatchResponse, SQSEvent } from "aws-lambda";
import { createRuntime } from "./internal/create-runtime.js";
import { Deadline } from "./internal/deadline.js";
import { deadlineMarginMs } from "./internal/deadline-margin.js";
import { holdOf, remainingTime, settlerOf } from "./internal/invocation-context.js";
import { memoizeServices } from "./internal/memoize-services.js";
import { isFailure, processBatch } from "./internal/process-batch.js";
import { warnAboutRedrive } from "./internal/redrive-warning.js";
import { exposeRunMessages } from "./internal/run-messages.js";
import { runPeriodic } from "./internal/run-periodic.js";
import { warnAboutShortTimeout } from "./internal/short-timeout-warning.js";
import { eventSourceOf, isSqsEvent } from "./internal/sqs-event.js";
import type { Invocation, WorkerRuntime } from "./internal/worker-runtime.js";
import { recordsToMessages } from "./lambda-record.js";
import {
  type PeriodicDetailEvent,
  type PeriodicInvocation,
  readPeriodicInvocation,
} from "./periodic-invocation.js";

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
   * It is a cap: a hook waits at most a sixth of the invocation's time (500 ms of a 3 s function).
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
  /**
   * Retries of messages whose job name (or signing key) this worker does not know (deploy skew).
   * Default 25 attempts. When they run out the message is always dead-lettered, never deleted:
   * `false` means one attempt, then the dead-letter queue.
   */
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
  /**
   * Where payloads offloaded by the producer's `payloadStore` are read from (the same store,
   * e.g. `s3ClaimCheck()` from `@glasswork/claim-check`), before validation.
   */
  payloadStore?: PayloadStore;
  /**
   * Read each queue's redrive policy at cold start and warn when its `maxReceiveCount` is below a
   * job's `maxAttempts`. Default `false`: it costs a `GetQueueAttributes` call (and that IAM
   * permission) per queue on every cold start; the deployment check belongs to
   * `doctor()` of `@glasswork/ops` (`max-receive-count`), run once per deploy.
   */
  checkRedrivePolicy?: boolean;
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
 * // given: services, sendWelcomeEmail, dailyCleanup, SQSQueueDriver, connect, Mailer
 * export const handler = bootstrapWorker({
 *   jobs: [sendWelcomeEmail, dailyCleanup],
 *   driver: new SQSQueueDriver({ queues: { default: process.env.JOBS_QUEUE_URL! } }),
 *   services: async () => ({ db: await connect(process.env.DATABASE_URL!), mailer: new Mailer() }),
 * });
 */
export function bootstrapWorker(options: WorkerOptions): WorkerHandler {
  const rt = createRuntime(options);
  const services = memoizeServices(options.services);
  let checkedRedrive = options.checkRedrivePolicy !== true;
  let coldStart = true;

  const beforeInvocation = (remainingMs: () => number) => {
    if (!checkedRedrive) {
      checkedRedrive = true;
      void warnAboutRedrive(rt);
    }
    if (coldStart) {
      coldStart = false;
      warnAboutShortTimeout(rt, remainingMs());
    }
  };

  const handler = async (
    event: WorkerEvent,
    context: Context,
  ): Promise<SQSBatchResponse | undefined> => {
    beforeInvocation(() => remainingTime(context));
    const periodic = readPeriodicInvocation(event);
    if (!periodic && !isSqsEvent(event)) throw new UnsupportedEventError(eventSourceOf(event));
    const pending = services();
    const ready = pending instanceof Promise ? await pending : pending;
    if (periodic) {
      await runPeriodic(rt, ready, periodic, context);
      return undefined;
    }
    return handleSqsEvent(rt, ready, event as SQSEvent, context);
  };
  // The poller's shortcut: its messages as they are, no Lambda records or context in between.
  exposeRunMessages(handler, async (messages, run) => {
    // The function's time starts with the invocation, as on Lambda: creating the services at a
    // cold start uses it up.
    const end = Date.now() + run.remainingMs;
    beforeInvocation(() => run.remainingMs);
    const pending = services();
    const ready = pending instanceof Promise ? await pending : pending;
    const remainingMs = Math.max(0, end - Date.now());
    return runMessages(rt, ready, messages, remainingMs, run.settle, run.hold);
  });
  return handler as WorkerHandler;
}

function handleSqsEvent(
  rt: WorkerRuntime,
  services: Services,
  event: SQSEvent,
  context: Context,
): SQSBatchResponse | Promise<SQSBatchResponse> {
  return runMessages(
    rt,
    services,
    recordsToMessages(event.Records),
    remainingTime(context),
    settlerOf(context),
    holdOf(context),
  );
}

function runMessages(
  rt: WorkerRuntime,
  services: Services,
  messages: readonly ReceivedMessage[],
  remainingMs: number,
  settle: Invocation["settle"],
  holdWhileRunning: Invocation["holdWhileRunning"],
): SQSBatchResponse | Promise<SQSBatchResponse> {
  const deadline = new Deadline(remainingMs, deadlineMarginMs(remainingMs, rt.deadlineMarginMs), {
    armed: false,
  });
  const invocation: Invocation = {
    services,
    deadline,
    startedAt: rt.now(),
    settle,
    holdWhileRunning,
    timed: rt.hooks.length > 0 || rt.logger.isLevelEnabled?.("debug") !== false,
  };
  let outcomes: JobOutcome[] | Promise<JobOutcome[]>;
  try {
    outcomes = processBatch(rt, invocation, messages);
  } catch (error) {
    deadline.dispose();
    throw error;
  }
  if (!(outcomes instanceof Promise)) {
    deadline.dispose();
    return batchResponse(messages, outcomes);
  }
  // Something waits: from here on the margin timer must run (see Deadline's `armed`).
  deadline.arm();
  return outcomes
    .then((settled) => batchResponse(messages, settled))
    .finally(() => deadline.dispose());
}

function batchResponse(
  messages: readonly ReceivedMessage[],
  outcomes: readonly JobOutcome[],
): SQSBatchResponse {
  const batchItemFailures: SQSBatchItemFailure[] = [];
  for (let i = 0; i < messages.length; i++) {
    if (isFailure(outcomes[i])) {
      batchItemFailures.push({ itemIdentifier: (messages[i] as ReceivedMessage).messageId });
    }
  }
  return { batchItemFailures };
}
