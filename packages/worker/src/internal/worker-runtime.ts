import type {
  AnyJobDefinition,
  EnvelopeSigner,
  Logger,
  PeriodicJobDefinition,
  QueueDriver,
  RetryPolicy,
  Services,
} from "@glasswork/core";
import type { WorkerHooks } from "../worker-hooks.js";
import type { Deadline } from "./deadline.js";

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
  readonly deadlineMarginMs: number;
  readonly unknownJobRetry: RetryPolicy;
  readonly random: () => number;
  readonly now: () => number;
  /** When set, only messages with a valid signature run. */
  readonly signer: EnvelopeSigner | undefined;
}

/** Per-invocation state shared by the records of a batch. */
export interface Invocation {
  readonly services: Services;
  /** The invocation's time limit: `ctx.signal`, when to stop starting, when to give up. */
  readonly deadline: Deadline;
  /**
   * Called before the worker changes a message's visibility or deletes it, so a poller's
   * heartbeat for that message can stop first.
   */
  readonly settle: (messageId: string) => Promise<void>;
}
