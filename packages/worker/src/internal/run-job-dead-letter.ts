import type {
  AnyJobDefinition,
  DeadLetterReason,
  JobDeadLetterContext,
  JobDeadLetterReason,
} from "@glasswork/core";
import { safeHook } from "@glasswork/core/internal";
import type { RecordRun } from "./record-run.js";

/** The job whose own `onDeadLetter` runs when its record is dead-lettered, and its payload. */
export interface JobDeadLetterTarget {
  readonly job: AnyJobDefinition;
  /** The schema's output when `payloadValid`, else the raw payload from the message. */
  readonly payload: unknown;
  readonly payloadValid: boolean;
}

const JOB_REASONS = new Set<DeadLetterReason>([
  "permanent",
  "invalid-payload",
  "retry-exhausted",
  "expired",
]);

/**
 * Runs the job's `onDeadLetter` after the record was moved to the dead-letter queue and the
 * worker's `onJobDeadLetter` hooks ran, with the hook rules: what is left of the deadline's hook
 * budget, and a throw or a hang is logged, never a change of outcome.
 */
export async function runJobDeadLetter(
  run: RecordRun,
  target: JobDeadLetterTarget | undefined,
  reason: DeadLetterReason,
  error: unknown,
): Promise<void> {
  const onDeadLetter = target?.job.onDeadLetter;
  const { rt, invocation, ctx } = run;
  if (!onDeadLetter || !ctx || !JOB_REASONS.has(reason)) return;
  // Reads through to the record's context, whose logger, signal and date are made on first read.
  const deadLetterCtx = Object.freeze(
    Object.create(ctx, {
      reason: { value: reason as JobDeadLetterReason, enumerable: true },
      payloadValid: { value: target.payloadValid, enumerable: true },
      payload: { value: target.payload, enumerable: true },
      enqueuedAt: { get: () => ctx.enqueuedAt, enumerable: true },
      logger: { get: () => ctx.logger, enumerable: true },
      signal: { get: () => ctx.signal, enumerable: true },
    }),
  ) as JobDeadLetterContext;
  await safeHook(
    rt.logger,
    `onDeadLetter of job "${target.job.name}"`,
    invocation.deadline.hookTimeoutMs(rt.hookTimeoutMs),
    () => onDeadLetter(target.payload, deadLetterCtx, error),
  );
}
