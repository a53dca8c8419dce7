import type { AnyJobDefinition, JobInput } from "./define-job.js";
import type { Duration } from "./duration.js";

/** Per-call options of the `enqueue…` methods: a `delay` or an `at`, not both. */
export type EnqueueOptions = EnqueueCommonOptions &
  (
    | {
        /** Run after this long. `enqueueIn` sets it. */
        delay?: Duration;
        at?: never;
      }
    | {
        /** Run at this time. `enqueueAt` sets it. */
        at?: Date;
        delay?: never;
      }
  );

/** The options every `enqueue…` method takes. */
export interface EnqueueCommonOptions {
  /** Override the job's queue. */
  queue?: string;
  /** Job id; default: the job's `unique.key`, else a random UUID. */
  id?: string;
  /** Extra metadata carried in the envelope's `meta`. */
  meta?: Readonly<Record<string, string>>;
  /**
   * The job is not run if a worker receives it later than this after the enqueue (`"10m"`, or
   * seconds): it is dead-lettered with reason `expired`, or dropped with the job's
   * `onExpired: "drop"`. Overrides the job's `expiresAfter`. A job due (`delay`/`at`) at or after
   * its expiry is refused with `InvalidEnqueueOptionsError`.
   */
  expiresIn?: Duration;
}

/** One item of `JobService.enqueueBatch`. */
export interface EnqueueItem<J extends AnyJobDefinition = AnyJobDefinition> {
  job: J;
  payload: JobInput<J>;
  options?: EnqueueOptions;
}

/**
 * Checks each item's payload against its own job, in arrays that mix jobs too: an element whose
 * job is `J` must carry a `JobInput<J>`.
 */
export type CheckedItems<Items extends readonly EnqueueItem[]> = {
  readonly [K in keyof Items]: Items[K] extends infer Item
    ? // Distributes over a union of item shapes, so each is checked against its own job.
      Item extends { job: infer J extends AnyJobDefinition }
      ? EnqueueItem<J>
      : never
    : never;
};
