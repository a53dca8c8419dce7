import type {
  JobContext,
  JobEnvelope,
  JobExecution,
  Logger,
  ReceivedMessage,
  Services,
} from "@glasswork/core";
import type { Invocation } from "./worker-runtime.js";

/** What a record's context is made of: the envelope read from its body. */
export type ContextEnvelope = Pick<JobEnvelope, "id" | "name" | "enqueuedAt" | "meta">;

/**
 * The `ctx` of one record. A class, so that the child logger, the abort signal and the
 * `enqueuedAt` date are made only when a handler reads them: most no-op-sized jobs never do, and
 * each costs more than the job. (So `{ ...ctx }` copies none of them: pass `ctx` itself.)
 */
export class RecordContext implements JobContext {
  readonly jobId: string;
  readonly jobName: string;
  readonly queue: string;
  readonly attempt: number;
  readonly meta: Readonly<Record<string, string>>;
  readonly services: Services;
  readonly #parentLogger: Logger;
  readonly #invocation: Invocation;
  readonly #messageId: string;
  readonly #enqueuedAtText: string;
  #enqueuedAt: Date | undefined;
  #logger: Logger | undefined;

  /** `execution`: what the hooks see, when they exist, so that both share its date and meta. */
  constructor(
    logger: Logger,
    invocation: Invocation,
    envelope: ContextEnvelope,
    message: Pick<ReceivedMessage, "queue" | "messageId">,
    attempt: number,
    execution?: Pick<JobExecution, "enqueuedAt" | "meta">,
  ) {
    this.jobId = envelope.id;
    this.jobName = envelope.name;
    this.queue = message.queue;
    this.attempt = attempt;
    // A fresh object, not a shared frozen one: a JavaScript handler may write to it.
    this.meta = execution ? execution.meta : (envelope.meta ?? {});
    this.services = invocation.services;
    this.#parentLogger = logger;
    this.#invocation = invocation;
    this.#messageId = message.messageId;
    this.#enqueuedAtText = envelope.enqueuedAt;
    this.#enqueuedAt = execution?.enqueuedAt;
  }

  get enqueuedAt(): Date {
    this.#enqueuedAt ??= new Date(this.#enqueuedAtText);
    return this.#enqueuedAt;
  }

  get logger(): Logger {
    this.#logger ??= this.#parentLogger.child({
      jobId: this.jobId,
      jobName: this.jobName,
      attempt: this.attempt,
      messageId: this.#messageId,
    });
    return this.#logger;
  }

  get signal(): AbortSignal {
    return this.#invocation.deadline.signal;
  }
}
