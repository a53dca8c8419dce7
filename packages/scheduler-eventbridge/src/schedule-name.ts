import { createHash } from "node:crypto";

/** EventBridge Scheduler's limit on schedule names. */
export const MAX_SCHEDULE_NAME_LENGTH = 64;
/** The prefix of schedule names unless configured otherwise. */
export const DEFAULT_SCHEDULE_NAME_PREFIX = "glasswork-";

const PREFIX = /^[0-9A-Za-z_.-]{1,20}$/;
const HASH_LENGTH = 32;

/**
 * The schedule name of a job id: the prefix, as much of the id as fits (characters the
 * scheduler does not allow become `_`), and 128 bits of the id's SHA-256. The hash makes the name
 * unique per job id whatever its length or characters, and lets `cancel(jobId)` find the
 * schedule again without a lookup table; the readable part is only for people in the console.
 *
 * @example
 * scheduleName("reminder:u_1"); // "glasswork-reminder_u_1-<32 hex digits>"
 */
export function scheduleName(jobId: string, prefix = DEFAULT_SCHEDULE_NAME_PREFIX): string {
  checkScheduleNamePrefix(prefix);
  const hash = createHash("sha256").update(jobId, "utf8").digest("hex").slice(0, HASH_LENGTH);
  const room = MAX_SCHEDULE_NAME_LENGTH - prefix.length - HASH_LENGTH - 1;
  const readable = jobId.replace(/[^0-9A-Za-z_.-]/g, "_").slice(0, room);
  return `${prefix}${readable}-${hash}`;
}

/** Throws a `TypeError` unless `prefix` is 1-20 of `0-9 A-Z a-z _ . -`. */
export function checkScheduleNamePrefix(prefix: string): void {
  if (!PREFIX.test(prefix)) {
    throw new TypeError(
      `The schedule name prefix ${JSON.stringify(prefix)} must be 1-20 of 0-9 A-Z a-z _ . -`,
    );
  }
}
