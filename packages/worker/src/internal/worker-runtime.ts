import type {
  AnyJobDefinition,
  Logger,
  PayloadStore,
  PeriodicJobDefinition,
  QueueDriver,
  RetryPolicy,
  Services,
  WorkerHooks,
} from "@glasswork/core";
import type { EnvelopeSigner } from "@glasswork/core/internal";
import type { Deadline } from "./deadline.js";
import type { GivenUpRuns } from "./given-up-runs.js";
import type { HoldWhileRunning } from "./hold-while-running.js";
import type { RunLedger } from "./run-ledger.js";

/** Everything a worker needs to process records, resolved once per cold start. */
export interface WorkerRuntime {
  readonly driver: QueueDriver;
  readonly jobs: ReadonlyMap<string, AnyJobDefinition>;
  readonly periodicJobs: ReadonlyMap<string, PeriodicJobDefinition>;
  /** In the order given: before-hooks run this way, after-hooks in reverse. */
  readonly hooks: readonly WorkerHooks[];
  readonly logger: Logger;
  readonly concurrency: number;
  readonly hookTimeoutMs: number;
  /** As configured; each invocation scales it to its time (`deadlineMarginMs()`). */
  readonly deadlineMarginMs: number;
  readonly unknownJobRetry: RetryPolicy;
  readonly random: () => number;
  readonly now: () => number;
  /** When set, only messages with a valid signature run. */
  readonly signer: EnvelopeSigner | undefined;
  /** Where claimed payloads are read from. */
  readonly payloadStore?: PayloadStore | undefined;
  /** Releases and failures this instance saw, so that releases do not count as attempts. */
  readonly ledger: RunLedger;
  /** Messages whose given-up handler still runs in this instance: they must not start again. */
  readonly givenUp: GivenUpRuns;
}

/** Per-invocation state shared by the records of a batch. */
export interface Invocation {
  readonly services: Services;
  /** The invocation's time limit: `ctx.signal`, when to stop starting, when to give up. */
  readonly deadline: Deadline;
  /** `rt.now()` when the invocation started: the latest the batch can have been received. */
  readonly startedAt: number;
  /**
   * Called before the worker changes a message's visibility or deletes it, so a poller's
   * heartbeat for that message can stop first.
   */
  readonly settle: (messageId: string) => Promise<void>;
  /** The poller's way to keep a given-up record hidden while its handler runs; none on Lambda. */
  readonly holdWhileRunning: HoldWhileRunning | undefined;
  /**
   * Whether handlers are timed: when hooks get the time, or the logger may write the debug
   * "job completed" line that carries it. Else the clock is not read (twice per record).
   */
  readonly timed: boolean;
}
