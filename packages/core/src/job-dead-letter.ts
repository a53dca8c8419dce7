import type { JobContext } from "./job-context.js";
import type { DeadLetterReason } from "./queue-driver.js";

/** The dead-letter reasons for which a job's own `onDeadLetter` runs. */
export type JobDeadLetterReason = Extract<
  DeadLetterReason,
  "permanent" | "invalid-payload" | "retry-exhausted" | "expired"
>;

/**
 * The `ctx` of a job's `onDeadLetter`: the run's context, why the job was dead-lettered, and its
 * payload typed by whether it passed the schema. Check `payloadValid` to read `payload` as the
 * schema's output: it is false for `invalid-payload`, and for `retry-exhausted` when the schema
 * itself kept throwing; `payload` is then the raw, untrusted payload from the message.
 */
export type JobDeadLetterContext<Output = unknown> = JobContext & {
  readonly reason: JobDeadLetterReason;
} & (
    | { readonly payloadValid: true; readonly payload: Output }
    | { readonly payloadValid: false; readonly payload: unknown }
  );

/**
 * A job's `onDeadLetter(payload, ctx, error)`. `payload` is `unknown` because it may be the raw
 * payload that failed the schema; `ctx.payload` is the same value, typed as the schema's output
 * once `ctx.payloadValid` is checked.
 *
 * @example
 * // given: v
 * export const sendOtp = defineJob({
 *   name: "send-otp",
 *   schema: v.object({ userId: v.string() }),
 *   handler: () => {},
 *   onDeadLetter: (_payload, ctx, error) => {
 *     if (!ctx.payloadValid) return ctx.logger.error({ err: error }, "unreadable OTP job");
 *     ctx.logger.warn({ userId: ctx.payload.userId, reason: ctx.reason }, "OTP not sent");
 *   },
 * });
 */
export type JobDeadLetterHandler<Output> = (
  payload: unknown,
  ctx: JobDeadLetterContext<Output>,
  error: unknown,
) => Promise<void> | void;
