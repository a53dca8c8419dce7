import type { AnyJobDefinition, JobContext } from "@glasswork/core";
import type { Deadline } from "./deadline.js";

/** What the handler did: `undefined` when it resolved, `{ value }` when it failed. */
export type HandlerResult = { readonly value: unknown } | undefined;

/** The handler, given up on at the deadline while `running` still runs. */
export interface GaveUp {
  readonly gaveUp: true;
  readonly running: Promise<HandlerResult>;
}

/**
 * Runs the handler: synchronously settled for a synchronous handler, else raced against the
 * deadline's give-up time.
 */
export function runHandler(
  job: AnyJobDefinition,
  payload: unknown,
  ctx: JobContext,
  deadline: Deadline,
): HandlerResult | Promise<HandlerResult | GaveUp> {
  let result: unknown;
  try {
    result = job.handler(payload, ctx);
  } catch (value) {
    return { value };
  }
  // A synchronous handler is done; an async one (any thenable) races the give-up time.
  if (!(result instanceof Promise)) {
    if (typeof (result as PromiseLike<unknown> | undefined)?.then !== "function") return undefined;
    result = Promise.resolve(result);
  }
  const handled = result as Promise<unknown>;
  if (!deadline.finite) return handled.then(succeeded, failed);
  // One promise per record, settled by the handler or by the give-up, whichever comes first:
  // cheaper than racing the handler against a shared give-up promise.
  return new Promise<HandlerResult | GaveUp>((resolve) => {
    handled.then(
      () => resolve(undefined),
      (value: unknown) => resolve({ value }),
    );
    deadline.whenGivingUp(resolve, handled);
  });
}

/** The give-up of a handler whose promise `handled` still runs. */
export function gaveUpOn(handled: Promise<unknown>): GaveUp {
  return { gaveUp: true, running: handled.then(succeeded, failed) };
}

function succeeded(): HandlerResult {
  return undefined;
}

function failed(value: unknown): HandlerResult {
  return { value };
}
