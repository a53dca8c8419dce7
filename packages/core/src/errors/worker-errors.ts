import { JobError } from "./job-error.js";
// What the worker reports about records and events it cannot run, and about its configuration.

/** No job with this name is registered with the worker (often a deploy skew). */
export class UnknownJobError extends JobError {
  readonly jobName: string;

  constructor(jobName: string) {
    super("UNKNOWN_JOB", `No job named "${jobName}" is registered with this worker`);
    this.name = "UnknownJobError";
    this.jobName = jobName;
  }
}

/** Why a job's `ctx.signal` aborted: the invocation is about to run out of time. */
export class DeadlineError extends JobError {
  constructor(message = "the invocation deadline is near") {
    super("DEADLINE", message);
    this.name = "DeadlineError";
  }
}

/**
 * Why a FIFO record was released without running: an earlier message of its group failed in the
 * same batch, and running it would break the group's order.
 */
export class FifoGroupHeldBackError extends JobError {
  readonly groupId: string;

  constructor(groupId: string) {
    super(
      "FIFO_GROUP_HELD_BACK",
      `an earlier message of FIFO group "${groupId}" failed in this batch`,
    );
    this.name = "FifoGroupHeldBackError";
    this.groupId = groupId;
  }
}

/**
 * The worker was invoked with an event it does not handle: not an SQS batch nor a periodic
 * invocation. `eventSource` names what it is (`aws:s3`, `aws:sns`, `aws:dynamodb`…), when the
 * event says.
 */
export class UnsupportedEventError extends JobError {
  readonly eventSource: string | undefined;

  constructor(eventSource: string | undefined) {
    super(
      "UNSUPPORTED_EVENT",
      eventSource === undefined
        ? "The worker received an event that is neither an SQS event nor a periodic job invocation"
        : `The worker received an event from ${eventSource}, not from SQS: point only SQS event source mappings and periodic schedules at it`,
    );
    this.name = "UnsupportedEventError";
    this.eventSource = eventSource;
  }
}

/** Two job definitions given to one worker share a name, which is their wire identity. */
export class DuplicateJobNameError extends JobError {
  readonly jobName: string;

  constructor(jobName: string) {
    super("DUPLICATE_JOB_NAME", `Two jobs are named "${jobName}": job names must be unique`);
    this.name = "DuplicateJobNameError";
    this.jobName = jobName;
  }
}
