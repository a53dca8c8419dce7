import { defineJob } from "@glasswork/core";
import * as v from "valibot";
import type { IdempotencyStore } from "./create-idempotency-store.js";
import { idempotent } from "./idempotent.js";

/** The lock the crash test's job takes: the time a dead worker's key stays held. */
export const CRASH_LOCK_SECONDS = 60;

/**
 * The job of the crash test, defined once for the worker that dies and the one after it.
 * `onRun` is the job's effect.
 */
export function crashJob(store: IdempotencyStore, onRun: (orderId: string) => Promise<void>) {
  return defineJob({
    name: "charge-order",
    schema: v.object({ orderId: v.string(), cents: v.number() }),
    handler: idempotent(({ orderId }) => onRun(orderId), {
      store,
      key: (p) => p.orderId,
      lockTimeout: CRASH_LOCK_SECONDS,
    }),
  });
}
