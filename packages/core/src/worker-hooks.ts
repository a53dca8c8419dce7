import type { JobContext } from "./job-context.js";
import type { DeadLetterReason, ReceivedMessage } from "./queue-driver.js";

/** One run of one job, as worker hooks (`WorkerHooks`) see it. */
export interface JobExecution {
  readonly jobId: string;
  readonly jobName: string;
  /** Physical queue name, or `"schedule"` for a periodic job. */
  readonly queue: string;
  /** The transport's message id (the invocation id for a periodic job). */
  readonly messageId: string;
  /**
   * 1-based attempt: SQS's approximate receive count less the receives this worker instance
   * released without running (deadline, FIFO hold-back), which are not attempts.
   */
  readonly attempt: number;
  readonly enqueuedAt: Date;
  /** The payload as received, before validation: untrusted. */
  readonly payload: unknown;
  /** The envelope's string map (trace context and user metadata). */
  readonly meta: Readonly<Record<string, string>>;
  /** Whether this is a queue job or a periodic job. */
  readonly kind: "job" | "periodic";
}

/** How a record ended. */
export type JobOutcomeStatus =
  /** The handler resolved; the message is deleted. */
  | "completed"
  /** It failed and will run again after `retryDelaySeconds`. */
  | "retry"
  /** It was moved to the dead-letter queue. */
  | "dead_letter"
  /** It failed and was deleted: `retry: false`, or attempts ran out with `dead: false`. */
  | "discarded"
  /** It is due later than the transport can delay; a new copy was sent with the remaining delay. */
  | "relayed"
  /** It was not finished in this invocation (deadline, FIFO group stopped, no dead-letter queue); it comes back. */
  | "deferred";

/** The outcome of one record. */
export interface JobOutcome {
  readonly status: JobOutcomeStatus;
  /** The failure, for every status but `completed` and `relayed`. */
  readonly error?: unknown;
  /** Seconds until the next attempt, for `retry`. */
  readonly retryDelaySeconds?: number;
  /** Why, for `dead_letter`. */
  readonly deadLetterReason?: DeadLetterReason;
  /**
   * Time spent in the handler, if it ran and was timed: always when hooks are registered (they
   * get the outcome), else only when the logger may write the debug line that carries it.
   */
  readonly durationMs?: number;
}

/** Given to `onJobFailed`. */
export interface JobFailure {
  readonly error: unknown;
  /** True when the job will run again. */
  readonly willRetry: boolean;
  readonly retryDelaySeconds: number | undefined;
  readonly durationMs: number | undefined;
}

/** Given to `onJobDeadLetter`. */
export interface DeadLetterEvent {
  /** Absent when the body was not a valid envelope. */
  readonly execution: JobExecution | undefined;
  /** The message as received. */
  readonly message: ReceivedMessage;
  readonly reason: DeadLetterReason;
  readonly error: unknown;
}

/**
 * Lifecycle hooks of the worker. Each fires at most once per record. Before-hooks
 * (`aroundJob`, `onJobStart`) run in the order given; after-hooks (`onJobComplete`,
 * `onJobFailed`, `onJobDeadLetter`) in reverse. A hook that throws or hangs is logged and never
 * changes the job's outcome.
 */
export interface WorkerHooks {
  /**
   * Wraps the whole run of a job whose envelope could be read — validation, handler and
   * outcome — so that context set here (e.g. an active span) is current inside the handler.
   * Must call `run` once and may read its outcome.
   */
  aroundJob?(execution: JobExecution, run: () => Promise<JobOutcome>): Promise<unknown>;
  onJobStart?(execution: JobExecution, ctx: JobContext): void | Promise<void>;
  onJobComplete?(
    execution: JobExecution,
    ctx: JobContext,
    result: { durationMs: number },
  ): void | Promise<void>;
  onJobFailed?(execution: JobExecution, ctx: JobContext, failure: JobFailure): void | Promise<void>;
  onJobDeadLetter?(event: DeadLetterEvent): void | Promise<void>;
}
