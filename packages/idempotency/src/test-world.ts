import { type AnyJobDefinition, JobService, silentLogger } from "@glasswork/core";
import { ManualClock, MockQueueDriver } from "@glasswork/driver-mock";
import {
  bootstrapWorker,
  type DrainQueueResult,
  drainQueue,
  type JobFailure,
  type WorkerHandler,
  type WorkerHooks,
} from "@glasswork/worker";
import { vi } from "vitest";
import { createIdempotencyStore, type IdempotencyStore } from "./create-idempotency-store.js";
import type { TestDynamo } from "./test-dynalite.js";

/** Jobs run by the real worker (`bootstrapWorker`) on the mock driver, with what the hooks saw. */
export interface TestWorld {
  readonly clock: ManualClock;
  readonly driver: MockQueueDriver;
  readonly jobs: JobService;
  readonly store: IdempotencyStore;
  readonly table: string;
  /** Job ids of the records the worker started, in order (`onJobStart`). */
  readonly deliveries: string[];
  readonly completed: string[];
  readonly failures: { jobId: string; failure: JobFailure }[];
  /** Builds the worker for these jobs; call once, before `drain`. */
  serve(jobs: AnyJobDefinition[], hooks?: WorkerHooks[]): void;
  /** Runs every visible message through the worker's Lambda handler, as Lambda would. */
  drain(): Promise<DrainQueueResult>;
}

/** A fresh table on the test dynalite, a mock queue on a manual clock, and a store on both. */
export async function createTestWorld(dynamo: TestDynamo): Promise<TestWorld> {
  const clock = new ManualClock();
  const driver = new MockQueueDriver({ clock });
  const table = await dynamo.createTable();
  const deliveries: string[] = [];
  const completed: string[] = [];
  const failures: { jobId: string; failure: JobFailure }[] = [];
  let handler: WorkerHandler | undefined;
  const record: WorkerHooks = {
    onJobStart: (execution) => void deliveries.push(execution.jobId),
    onJobComplete: (execution) => void completed.push(execution.jobId),
    onJobFailed: (execution, _ctx, failure) =>
      void failures.push({ jobId: execution.jobId, failure }),
  };
  return {
    clock,
    driver,
    jobs: new JobService(driver, { now: () => clock.now() }),
    store: createIdempotencyStore({ tableName: table, client: dynamo.client }),
    table,
    deliveries,
    completed,
    failures,
    serve(jobs, hooks = []) {
      handler = bootstrapWorker({
        jobs,
        driver,
        logger: silentLogger,
        hooks: [record, ...hooks],
        random: () => 1,
        now: () => clock.now(),
      });
    },
    drain() {
      if (!handler) throw new Error("call serve() first");
      return drainQueue({ handler, driver });
    },
  };
}

export const START = Date.parse("2026-12-01T10:00:00Z");

/** Powertools and the SDK read `Date`; only `Date` is faked, so sockets and timers stay real. */
export function freezeDate(at = START): { advance(seconds: number): void } {
  vi.useFakeTimers({ toFake: ["Date"], now: at });
  return { advance: (seconds) => vi.setSystemTime(Date.now() + seconds * 1000) };
}

export function deferred(): { promise: Promise<void>; resolve: () => void } {
  let resolve = () => {};
  const promise = new Promise<void>((r) => {
    resolve = r;
  });
  return { promise, resolve };
}

export function lastFailure(world: TestWorld) {
  const last = world.failures.at(-1);
  if (!last) throw new Error("no failure recorded");
  return last.failure;
}

/** Advances the queue's clock past the worker's retry delay of the last failure. */
export function waitOutRetry(world: TestWorld): void {
  world.clock.advance(lastFailure(world).retryDelaySeconds ?? 0);
}
