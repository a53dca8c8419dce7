import {
  type AnyJobDefinition,
  createJsonLogger,
  DuplicateJobNameError,
  type PeriodicJobDefinition,
} from "@glasswork/core";
import { EnvelopeSigner, resolveRetryPolicy } from "@glasswork/core/internal";
import type { WorkerOptions } from "../bootstrap-worker.js";
import { GivenUpRuns } from "./given-up-runs.js";
import { RunLedger } from "./run-ledger.js";
import type { WorkerRuntime } from "./worker-runtime.js";

/** Resolves the worker's options once per cold start; throws on duplicate job names or a bad concurrency. */
export function createRuntime(options: WorkerOptions): WorkerRuntime {
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
    // Never discarded (`false` or `dead: false` would delete a job that a newer worker knows):
    // what this worker cannot run is dead-lettered when its attempts run out.
    unknownJobRetry: { ...resolveRetryPolicy(options.unknownJobRetry), dead: true },
    random: options.random ?? Math.random,
    now: options.now ?? Date.now,
    signer: options.signingKeys ? new EnvelopeSigner(options.signingKeys) : undefined,
    ledger: new RunLedger(),
    givenUp: new GivenUpRuns(),
    payloadStore: options.payloadStore,
  };
}
