import type { AnyJobDefinition, QueueInfo } from "@glasswork/core";

/** One problem `doctor` found, with how to fix it. */
export interface DoctorFinding {
  /** Which check found it (`"dead-letter-queue"`, `"max-receive-count"`, …). */
  readonly check: string;
  /** `error`: jobs can be lost, loop or never run; `warning`: they run, but not as designed. */
  readonly severity: "error" | "warning";
  readonly queue: string;
  readonly message: string;
  /** What to change, concretely. */
  readonly fix: string;
}

/** What `doctor` knows about the worker that consumes a queue. */
export interface WorkerFacts {
  /** The worker function's timeout (Lambda's default is 3). */
  readonly functionTimeoutSeconds?: number;
  /** The worker's `deadlineMarginMs` (default 3,000). */
  readonly deadlineMarginMs?: number;
  /** Whether the event source mapping reports batch item failures (`ReportBatchItemFailures`). */
  readonly reportBatchItemFailures?: boolean;
}

/** Everything one check looks at, for one queue. */
export interface QueueFacts {
  readonly queue: string;
  readonly info: QueueInfo;
  /** The dead-letter queue's configuration, when there is one. */
  readonly deadLetterInfo: QueueInfo | undefined;
  /** The jobs that go to this queue. */
  readonly jobs: readonly AnyJobDefinition[];
  readonly worker: WorkerFacts;
  /** The producer's size limit (`JobService`'s `maxMessageBytes`, default 262,144). */
  readonly producerMaxMessageBytes: number;
}

/** A doctor check: the findings for one queue (none when all is well or it cannot tell). */
export type DoctorCheck = (facts: QueueFacts) => DoctorFinding[];
