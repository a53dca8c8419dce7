/**
 * A schedule with this job's name already exists and is not the same schedule: another time,
 * queue, job or payload. The pending job is left as it is; cancel it first to replace it.
 */
export class ScheduleConflictError extends Error {
  readonly jobId: string;
  readonly scheduleName: string;

  constructor(jobId: string, scheduleName: string, detail: string) {
    super(
      `Job "${jobId}" is already scheduled as "${scheduleName}" with ${detail}; cancel it first (jobs.cancel) to schedule it again`,
    );
    this.name = "ScheduleConflictError";
    this.jobId = jobId;
    this.scheduleName = scheduleName;
  }
}

/** A request to EventBridge Scheduler failed; `cause` is the SDK's error. */
export class SchedulerError extends Error {
  /** The API operation, e.g. `"CreateSchedule"`. */
  readonly operation: string;
  readonly scheduleName: string;
  /** True when trying again later may succeed (throttling, a server fault, the network). */
  readonly retryable: boolean;

  constructor(
    operation: string,
    scheduleName: string,
    message: string,
    options: { cause?: unknown; retryable: boolean },
  ) {
    super(`${operation} of schedule "${scheduleName}" failed: ${message}`, {
      cause: options.cause,
    });
    this.name = "SchedulerError";
    this.operation = operation;
    this.scheduleName = scheduleName;
    this.retryable = options.retryable;
  }
}
