import { defineJob, type JobContext, type JobDefinition } from "@glasswork/core";
import * as v from "valibot";

/** The payload of the jobs the crash and soak tests run. */
export const effectSchema = v.object({
  /** The job's sequence number. */
  n: v.pipe(v.number(), v.integer(), v.minValue(0)),
  /** Milliseconds the handler works before and after writing its effect. */
  workMs: v.optional(v.pipe(v.number(), v.minValue(0), v.maxValue(1_000))),
});

export type EffectPayload = v.InferOutput<typeof effectSchema>;

/** Its name on the wire: the producer and the poller processes must agree on it. */
export const EFFECT_JOB = "reliability.effect";

/**
 * The job whose effect the crash and soak tests count. The test process enqueues it with a
 * handler that is never called; the poller process defines the real one.
 */
export function defineEffectJob(
  handler: (payload: EffectPayload, ctx: JobContext) => Promise<void> | void = () => {
    throw new Error(`${EFFECT_JOB} runs in the poller process`);
  },
): JobDefinition<v.InferInput<typeof effectSchema>, EffectPayload> {
  // Attempts stay below the queue's maxReceiveCount, so redrive is only a crash safety net.
  return defineJob({ name: EFFECT_JOB, schema: effectSchema, retry: { maxAttempts: 10 }, handler });
}
