import type { JobContext } from "./job-context.js";
import type { DeadLetterReason } from "./queue-driver.js";

/** The dead-letter reasons for which a job's own `onDeadLetter` runs. */
export type JobDeadLetterReason = Extract<
  DeadLetterReason,
  "permanent" | "invalid-payload" | "retry-exhausted" | "expired"
>;

/** The `ctx` of a job's `onDeadLetter`: the run's context, plus why the job was dead-lettered. */
export interface JobDeadLetterContext extends JobContext {
  readonly reason: JobDeadLetterReason;
  /**
   * True when `payload` passed the job's schema (it is then the schema's output). False for
   * `invalid-payload`, and for `retry-exhausted` when the schema itself kept throwing: `payload`
   * is then the raw, untrusted payload from the message.
   */
  readonly payloadValid: boolean;
}

/**
 * A job's `onDeadLetter(payload, ctx, error)`. The payload's type depends on `ctx.payloadValid`:
 * check it before reading the payload as the schema's output.
 *
 * @example
 * onDeadLetter: async (payload, ctx, error) => {
 *   if (!ctx.payloadValid) return ctx.logger.error({ err: error }, "unreadable OTP job");
 *   await ctx.services.audit.otpNotSent(payload.userId, ctx.reason);
 * },
 */
export type JobDeadLetterHandler<Output> = (
  ...args:
    | [payload: Output, ctx: JobDeadLetterContext & { readonly payloadValid: true }, error: unknown]
    | [
        payload: unknown,
        ctx: JobDeadLetterContext & { readonly payloadValid: false },
        error: unknown,
      ]
) => Promise<void> | void;
