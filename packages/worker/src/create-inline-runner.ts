import { AsyncLocalStorage } from "node:async_hooks";
import type { WorkerHooks } from "@glasswork/core";
import {
  createJsonLogger,
  JobService,
  type JobServiceOptions,
  type OutgoingMessage,
  type QueueDriver,
  type SendResult,
} from "@glasswork/core";
import { bootstrapWorker, type WorkerHandler, type WorkerOptions } from "./bootstrap-worker.js";
import { drainQueue } from "./drain-queue.js";

/** When an `enqueue…` through an inline runner resolves. */
export type InlineWait =
  /** At once; the job runs in the background and its failures are logged (local development). */
  | "enqueue"
  /** After the job ran (and everything else due on its queue): for tests and scripts. */
  | "run";

/** Options of {@link createInlineRunner}: the worker's, plus how enqueues wait. */
export interface InlineRunnerOptions<D extends QueueDriver> extends Omit<WorkerOptions, "driver"> {
  /** The in-memory queue the jobs go through, usually a `MockQueueDriver`. */
  driver: D;
  /** Default `"enqueue"` (fire-and-forget). */
  wait?: InlineWait;
  /** Options of the runner's {@link JobService} (hooks, signing key…). */
  jobService?: JobServiceOptions;
}

/** What {@link createInlineRunner} gives. */
export interface InlineRunner<D extends QueueDriver> {
  /** Enqueue through this: every job sent runs through the worker as soon as it is due. */
  readonly jobs: JobService;
  /** The driver, wrapped so that sends start runs; its own methods (`deadLetters`…) still work. */
  readonly driver: D;
  /** The worker handler the runner calls, for periodic invocations by hand. */
  readonly handler: WorkerHandler;
  /** Resolves when no run is in progress. Retries and delays not yet due are not waited for. */
  idle(): Promise<void>;
  /** Runs every queue the runner has seen until nothing is visible, then resolves. */
  runDue(): Promise<void>;
  /** Stops the retry and delay timers, waits for runs in progress. */
  dispose(): Promise<void>;
}

interface QueueState {
  running: Promise<void> | undefined;
  again: boolean;
}

interface ClockWithListeners {
  now(): number;
  onAdvance(listener: () => void): () => void;
}

/**
 * Runs each enqueued job through the real worker pipeline right away — hooks, schema, retries,
 * expiry, dead letters into the driver's dead-letter queue — so an app runs locally without a
 * queue server. Jobs due later (delays, retry backoffs, relays) run when they are due: on a
 * `ManualClock`, whenever it advances; otherwise on timers (real or fake), which do not keep the
 * process alive.
 *
 * @example
 * // given: MockQueueDriver, sendWelcomeEmail, mailer
 * const runner = createInlineRunner({
 *   driver: new MockQueueDriver(),
 *   jobs: [sendWelcomeEmail],
 *   services: { mailer },
 * });
 * await runner.jobs.enqueue(sendWelcomeEmail, { userId: "u_1" }); // runs in the background
 * await runner.idle();
 */
export function createInlineRunner<D extends QueueDriver>(
  options: InlineRunnerOptions<D>,
): InlineRunner<D> {
  const { driver: target, wait = "enqueue", jobService, ...workerOptions } = options;
  const logger = options.logger ?? createJsonLogger();
  const states = new Map<string, QueueState>();
  const timers = new Set<ReturnType<typeof setTimeout>>();
  // A job that enqueues another runs inside a drain of the same queue: awaiting that drain from
  // inside it would never resolve. The drain's own loop picks the new message up instead.
  const insideRun = new AsyncLocalStorage<true>();
  const manualClock = hasListeners(target.clock) ? target.clock : undefined;

  const stateOf = (queue: string): QueueState => {
    let state = states.get(queue);
    if (!state) {
      state = { running: undefined, again: false };
      states.set(queue, state);
    }
    return state;
  };

  const kick = (queue: string): Promise<void> => {
    const state = stateOf(queue);
    if (state.running) {
      state.again = true;
      return state.running;
    }
    const current = state;
    current.running = (async () => {
      try {
        do {
          current.again = false;
          await insideRun.run(true, () => drainQueue({ handler, driver, queue }));
        } while (current.again);
      } catch (error) {
        logger.error({ err: error, queue }, "inline run failed; the jobs stay in the queue");
      } finally {
        current.running = undefined;
      }
    })();
    return current.running;
  };

  const later = (queue: string, seconds: number): void => {
    stateOf(queue);
    // A ManualClock's advance runs every queue the runner knows (see onAdvance below).
    if (manualClock) return;
    // One millisecond late rather than early: the queue compares whole milliseconds.
    const timer = setTimeout(
      () => {
        timers.delete(timer);
        void kick(queue);
      },
      seconds * 1000 + 1,
    );
    timer.unref?.();
    timers.add(timer);
  };

  const send = async (messages: readonly OutgoingMessage[]): Promise<SendResult[]> => {
    const results = await target.send(messages);
    const now = new Set<string>();
    messages.forEach((message, i) => {
      if (!results[i]?.ok) return;
      const delay = message.delaySeconds ?? 0;
      if (delay > 0) later(message.queue, delay);
      else now.add(message.queue);
    });
    const runs = [...now].map(kick);
    if (wait === "run" && !insideRun.getStore()) await Promise.all(runs);
    return results;
  };

  const driver = new Proxy(target, {
    get(object, property) {
      if (property === "send") return send;
      const value: unknown = Reflect.get(object, property, object);
      // Bound to the driver itself: its private fields are not reachable through the proxy.
      return typeof value === "function" ? value.bind(object) : value;
    },
  });

  const retries: WorkerHooks = {
    onJobFailed: (execution, _ctx, failure) => {
      if (failure.willRetry) later(execution.queue, failure.retryDelaySeconds ?? 0);
    },
  };
  const handler = bootstrapWorker({
    ...workerOptions,
    ...(manualClock && options.now === undefined && { now: () => manualClock.now() }),
    driver,
    hooks: [...(options.hooks ?? []), retries],
  });
  const stopListening = manualClock?.onAdvance(() => {
    for (const queue of states.keys()) void kick(queue);
  });

  const idle = async (): Promise<void> => {
    for (;;) {
      const running = [...states.values()].flatMap((s) => (s.running ? [s.running] : []));
      if (running.length === 0) return;
      await Promise.all(running);
    }
  };

  return {
    jobs: new JobService(driver, jobService),
    driver,
    handler,
    idle,
    runDue: async () => {
      await Promise.all([...states.keys()].map(kick));
      await idle();
    },
    dispose: async () => {
      stopListening?.();
      for (const timer of timers) clearTimeout(timer);
      timers.clear();
      await idle();
    },
  };
}

function hasListeners(clock: QueueDriver["clock"]): clock is ClockWithListeners {
  return typeof (clock as Partial<ClockWithListeners> | undefined)?.onAdvance === "function";
}
