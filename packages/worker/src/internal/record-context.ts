import type { JobContext, JobExecution, Logger, Services } from "@glasswork/core";
import type { Invocation } from "./worker-runtime.js";

/**
 * The `ctx` of one record. A class, so that the child logger and the abort signal are made only
 * when a handler reads them: most no-op-sized jobs never do, and both cost more than the job.
 * (So `{ ...ctx }` copies neither: pass `ctx` itself.)
 */
export class RecordContext implements JobContext {
  readonly jobId: string;
  readonly jobName: string;
  readonly queue: string;
  readonly attempt: number;
  readonly meta: Readonly<Record<string, string>>;
  readonly enqueuedAt: Date;
  readonly services: Services;
  readonly #parentLogger: Logger;
  readonly #invocation: Invocation;
  readonly #execution: JobExecution;
  #logger: Logger | undefined;

  constructor(logger: Logger, invocation: Invocation, execution: JobExecution) {
    this.jobId = execution.jobId;
    this.jobName = execution.jobName;
    this.queue = execution.queue;
    this.attempt = execution.attempt;
    this.meta = execution.meta;
    this.enqueuedAt = execution.enqueuedAt;
    this.services = invocation.services;
    this.#parentLogger = logger;
    this.#invocation = invocation;
    this.#execution = execution;
  }

  get logger(): Logger {
    this.#logger ??= this.#parentLogger.child({
      jobId: this.jobId,
      jobName: this.jobName,
      attempt: this.attempt,
      messageId: this.#execution.messageId,
    });
    return this.#logger;
  }

  get signal(): AbortSignal {
    return this.#invocation.deadline.signal;
  }
}
