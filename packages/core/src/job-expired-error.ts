import { JobError } from "./errors.js";

/**
 * A job was received after its `expiresAt` and was not run. The worker dead-letters it with
 * reason `expired` (or drops it with `onExpired: "drop"`); `ageMs` is how long after its enqueue
 * it was received, `lateMs` how long after its expiry.
 */
export class JobExpiredError extends JobError {
  readonly jobName: string;
  readonly expiresAt: Date;
  readonly ageMs: number;
  readonly lateMs: number;

  constructor(jobName: string, expiresAt: Date, ageMs: number, lateMs: number) {
    super(
      "JOB_EXPIRED",
      `Job "${jobName}" expired at ${expiresAt.toISOString()} and was received ${Math.round(lateMs / 1000)} s later (${Math.round(ageMs / 1000)} s after its enqueue); it was not run`,
    );
    this.name = "JobExpiredError";
    this.jobName = jobName;
    this.expiresAt = expiresAt;
    this.ageMs = ageMs;
    this.lateMs = lateMs;
  }
}
