import { type Duration, toSeconds } from "../duration.js";
import { InvalidEnqueueOptionsError } from "../errors.js";

/**
 * The latest due time an envelope can carry: `runAt` is ISO 8601 with a four-digit year, which
 * is all the worker's decoder accepts. Past it, `toISOString` writes `+010000-…` or throws.
 */
export const LATEST_RUN_AT = new Date(Date.UTC(9999, 11, 31, 23, 59, 59, 999));

/** When a job runs: a native delay, and a `runAt` when the delay is longer than the transport's. */
export interface ResolvedDelay {
  readonly delaySeconds: number;
  readonly runAt: Date | undefined;
}

/**
 * Turns an `enqueueIn` delay or an `enqueueAt` date into the transport's delay. Throws
 * `InvalidEnqueueOptionsError` naming the limit for a delay or date that cannot be sent.
 */
export function resolveDelay(
  jobName: string,
  options: { readonly delay?: Duration | undefined; readonly at?: Date | undefined },
  now: number,
  maxDelaySeconds: number,
): ResolvedDelay {
  const seconds = requestedSeconds(jobName, options, now);
  // Never early: the transport counts whole seconds.
  const whole = Math.ceil(seconds);
  if (whole <= maxDelaySeconds) return { delaySeconds: whole, runAt: undefined };
  const runAt = now + seconds * 1000;
  if (!(runAt <= LATEST_RUN_AT.getTime())) {
    const option = options.at !== undefined ? "at" : "delay";
    // A valid Date past year 9999 still has an ISO form (`+010000-…`): it names what was asked.
    const asked = option === "at" ? `date ${options.at?.toISOString()}` : `delay of ${seconds} s`;
    throw new InvalidEnqueueOptionsError(
      jobName,
      option,
      `the ${asked} is out of range: a job can be due at ${LATEST_RUN_AT.toISOString()} at the latest`,
    );
  }
  return { delaySeconds: maxDelaySeconds, runAt: new Date(runAt) };
}

function requestedSeconds(
  jobName: string,
  options: { readonly delay?: Duration | undefined; readonly at?: Date | undefined },
  now: number,
): number {
  if (options.at !== undefined) {
    const at = options.at instanceof Date ? options.at.getTime() : Number.NaN;
    if (Number.isNaN(at)) {
      throw new InvalidEnqueueOptionsError(jobName, "at", "enqueueAt needs a valid Date");
    }
    return Math.max(0, (at - now) / 1000);
  }
  if (options.delay === undefined) return 0;
  try {
    return toSeconds(options.delay);
  } catch (cause) {
    throw new InvalidEnqueueOptionsError(jobName, "delay", (cause as Error).message, { cause });
  }
}
