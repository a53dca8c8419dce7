import type { WorkerHooks } from "@glasswork/core";
import {
  type AnyJobDefinition,
  JobService,
  type Logger,
  type LogLevel,
  type PeriodicJobDefinition,
  type ReceivedMessage,
} from "@glasswork/core";
import { ManualClock, MockQueueDriver, type MockQueueDriverOptions } from "@glasswork/driver-mock";
import type { Context, SQSBatchResponse, SQSEvent } from "aws-lambda";
import { vi } from "vitest";
import { bootstrapWorker, type WorkerHandler, type WorkerOptions } from "./bootstrap-worker.js";
import { deleteFinished } from "./internal/delete-finished.js";
import { lambdaContext as fakeLambdaContext } from "./internal/lambda-context.js";
import { recordToMessage } from "./lambda-record.js";
import { messageToRecord } from "./message-to-record.js";
import { type Poller, type PollerOptions, startPoller } from "./start-poller.js";

// Shared by the worker's tests: Lambda-shaped events and contexts, a recording logger and hook
// recorder, and a worker wired to a MockQueueDriver on a ManualClock.

export const REGION = "us-east-1";
export const ACCOUNT_ID = "123456789012";

/** The ARN Lambda puts in `eventSourceARN` for a queue. */
export function queueArn(queue: string): string {
  return `arn:aws:sqs:${REGION}:${ACCOUNT_ID}:${queue}`;
}

/** An SQS event for received messages, built as the Lambda event source mapping builds it. */
export function sqsEvent(messages: readonly ReceivedMessage[]): SQSEvent {
  return {
    Records: messages.map((m) =>
      messageToRecord(m, { eventSourceARN: queueArn(m.queue), awsRegion: REGION }),
    ),
  };
}

/** A received message as the worker reads it back from its Lambda record (with a SenderId). */
export function viaLambda(message: ReceivedMessage | undefined): ReceivedMessage {
  if (!message) throw new Error("expected a received message");
  return recordToMessage(
    messageToRecord(message, { eventSourceARN: queueArn(message.queue), awsRegion: REGION }),
  );
}

/** Options of {@link lambdaContext}. */
export interface LambdaContextOptions {
  /** Time left in the invocation when it starts. Default 900,000 ms (15 minutes). */
  remainingMs?: number;
  awsRequestId?: string;
}

/** A Lambda context with every field the Node.js runtime sets (the worker's one fake context). */
export function lambdaContext(options: LambdaContextOptions = {}): Context {
  return fakeLambdaContext({
    remainingMs: options.remainingMs ?? 900_000,
    awsRequestId: options.awsRequestId ?? "c6af9ac6-7b61-11e6-9a41-93e812345678",
    functionName: "jobs-worker",
    region: REGION,
    accountId: ACCOUNT_ID,
    memoryLimitInMB: "512",
    logStreamName: "2026/01/01/[$LATEST]4f1e9c0d2b6a4c3e8f7a6b5c4d3e2f1a",
  });
}

/** One line written through a {@link recordingLogger}. */
export interface LogLine {
  readonly level: LogLevel;
  readonly msg: string | undefined;
  readonly fields: Record<string, unknown>;
  /** What `child()` calls bound, merged. */
  readonly bindings: Record<string, unknown>;
}

/** A spy logger: every method is a `vi.fn`, and every line of it and its children is kept in order. */
export function recordingLogger() {
  const lines: LogLine[] = [];
  const make = (bindings: Record<string, unknown>) => {
    const method = (level: LogLevel) =>
      vi.fn((fields: Record<string, unknown>, msg?: string) => {
        lines.push({ level, msg, fields, bindings });
      });
    const logger = {
      debug: method("debug"),
      info: method("info"),
      warn: method("warn"),
      error: method("error"),
      child: vi.fn((more: Record<string, unknown>): Logger => make({ ...bindings, ...more })),
    };
    return logger;
  };
  const logger = make({});
  return {
    logger,
    lines,
    /** The lines of a level whose message matches. */
    find(level: LogLevel, msg: RegExp): LogLine[] {
      return lines.filter((l) => l.level === level && l.msg !== undefined && msg.test(l.msg));
    },
  };
}

/** One hook call, as a {@link hookRecorder} logs it. */
export interface HookCall {
  readonly set: string;
  readonly hook: string;
  readonly args: readonly unknown[];
}

/**
 * A hook set that logs every call (with its arguments) in `calls`, in order. `aroundJob` logs
 * itself, calls `run`, then logs `aroundJob:done` with the outcome `run` returned.
 */
export function hookRecorder(set: string, calls: HookCall[]): WorkerHooks {
  const log = (hook: string, ...args: unknown[]) => {
    calls.push({ set, hook, args });
  };
  return {
    aroundJob: async (execution, run) => {
      log("aroundJob", execution);
      const outcome = await run();
      log("aroundJob:done", outcome);
      return outcome;
    },
    onJobStart: (execution, ctx) => log("onJobStart", execution, ctx),
    onJobComplete: (execution, ctx, result) => log("onJobComplete", execution, ctx, result),
    onJobFailed: (execution, ctx, failure) => log("onJobFailed", execution, ctx, failure),
    onJobDeadLetter: (event) => log("onJobDeadLetter", event),
  };
}

/** `set.hook` names of the calls, in order. */
export function hookNames(calls: readonly HookCall[]): string[] {
  return calls.map((c) => `${c.set}.${c.hook}`);
}

/** The calls of one hook. */
export function callsOf(calls: readonly HookCall[], hook: string): HookCall[] {
  return calls.filter((c) => c.hook === hook);
}

/** Argument `arg` of the `nth` call of a hook, for the test to read as `T`. */
export function argOf<T>(calls: readonly HookCall[], hook: string, arg: number, nth = 0): T {
  const call = calls.filter((c) => c.hook === hook)[nth];
  if (!call) throw new Error(`expected call ${nth} of ${hook}`);
  return call.args[arg] as T;
}

/** Options of {@link setupWorker}. */
export interface SetupOptions {
  jobs: readonly (AnyJobDefinition | PeriodicJobDefinition)[];
  driver?: Omit<MockQueueDriverOptions, "clock">;
  /** Worker options besides jobs, driver, logger, random and now. */
  worker?: Partial<Omit<WorkerOptions, "jobs" | "driver">>;
  /** Names of recording hook sets to install, in order. Default `["hooks"]`. */
  hookSets?: readonly string[];
}

/** What {@link WorkerSetup.invoke} saw. */
export interface Invocation {
  readonly received: ReceivedMessage[];
  readonly response: SQSBatchResponse;
  /** The message ids reported failed. */
  readonly failed: string[];
}

/**
 * A worker on a MockQueueDriver with a ManualClock (start 2026-01-01T00:00:00Z), deterministic
 * jitter (`random: () => 0.5`), a recording logger and recording hooks.
 */
export function setupWorker(options: SetupOptions) {
  const clock = new ManualClock(new Date("2026-01-01T00:00:00.000Z"));
  const driver = new MockQueueDriver({ ...options.driver, clock });
  const jobs = new JobService(driver, { now: () => clock.now() });
  const log = recordingLogger();
  const calls: HookCall[] = [];
  const hooks = (options.hookSets ?? ["hooks"]).map((set) => hookRecorder(set, calls));
  const handler: WorkerHandler = bootstrapWorker({
    jobs: options.jobs,
    driver,
    hooks,
    logger: log.logger,
    random: () => 0.5,
    now: () => clock.now(),
    ...options.worker,
  });

  /**
   * Receives up to 10 messages, runs them through the handler as Lambda would, then does
   * what the event source mapping does with the response: deletes every record not reported
   * failed.
   */
  const invoke = async (
    queue = "default",
    context: Context = lambdaContext(),
  ): Promise<Invocation> => {
    const received = await driver.receive(queue, { maxMessages: 10 });
    const response = await handler(sqsEvent(received), context);
    const failed = response.batchItemFailures.map((f) => f.itemIdentifier);
    await deleteFinished(driver, queue, received, response);
    return { received, response, failed };
  };

  return { clock, driver, jobs, log, calls, hooks, handler, invoke };
}

/**
 * A poller with the tests' defaults — queue `default`, a 1 s long poll, no OS signals, a
 * recording logger — pushed on `running` for the test file's `afterEach` to stop.
 */
export function startTestPoller(
  running: Poller[],
  options: Pick<PollerOptions, "handler" | "driver"> & Partial<PollerOptions>,
): Poller {
  const poller = startPoller({
    queue: "default",
    waitTimeSeconds: 1,
    stopOnSignals: [],
    logger: recordingLogger().logger,
    ...options,
  });
  running.push(poller);
  return poller;
}

/**
 * A message body as a producer other than JobService (or an older/newer one, or an attacker)
 * might send it: `fields` over a valid envelope enqueued at the start of {@link setupWorker}'s clock.
 */
export function rawEnvelope(fields: Record<string, unknown>): string {
  return JSON.stringify({
    v: 1,
    id: "job-raw-1",
    name: "send-invoice",
    payload: {},
    enqueuedAt: "2026-01-01T00:00:00.000Z",
    ...fields,
  });
}

/** A promise with its resolver, to hold a handler until a test lets it go. */
export function latch<T = void>() {
  let resolve: (value: T) => void = () => {};
  const promise = new Promise<T>((r) => {
    resolve = r;
  });
  return { promise, resolve };
}

/** Narrows away `undefined`, failing the test with a message when it is not there. */
export function must<T>(value: T | undefined | null, what = "value"): T {
  if (value === undefined || value === null) throw new Error(`expected ${what} to be present`);
  return value;
}

export const sleep = (ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms));
