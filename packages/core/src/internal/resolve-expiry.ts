import { type Duration, toSeconds } from "../duration.js";
import { InvalidEnqueueOptionsError } from "../errors.js";
import { LATEST_RUN_AT } from "./resolve-delay.js";

/**
 * When a job expires: `expiresIn` of the call, else the job's `expiresAfter`, counted from the
 * enqueue (not from the due time: an OTP mail is stale ten minutes after it was asked for, however
 * it was delayed). Throws `InvalidEnqueueOptionsError` for a bad duration, and for a job due at or
 * after its expiry: it could never run, and sending it would only fill the dead-letter queue.
 */
export function resolveExpiry(
  jobName: string,
  expiresIn: Duration | undefined,
  now: number,
  dueAt: number,
): Date | undefined {
  if (expiresIn === undefined) return undefined;
  let seconds: number;
  try {
    seconds = toSeconds(expiresIn);
  } catch (cause) {
    throw new InvalidEnqueueOptionsError(jobName, "expiresIn", (cause as Error).message, {
      cause,
    });
  }
  if (!(seconds > 0)) {
    throw new InvalidEnqueueOptionsError(jobName, "expiresIn", "expiresIn must be more than 0 s");
  }
  const expiresAt = now + seconds * 1000;
  if (expiresAt > LATEST_RUN_AT.getTime()) {
    throw new InvalidEnqueueOptionsError(
      jobName,
      "expiresIn",
      `an expiry of ${seconds} s is out of range: ${LATEST_RUN_AT.toISOString()} at the latest`,
    );
  }
  if (dueAt >= expiresAt) {
    throw new InvalidEnqueueOptionsError(
      jobName,
      "expiresIn",
      `the job is due at ${new Date(dueAt).toISOString()}, not before its expiry at ${new Date(expiresAt).toISOString()}: it could never run. Shorten the delay or lengthen expiresIn/expiresAfter`,
    );
  }
  return new Date(expiresAt);
}
