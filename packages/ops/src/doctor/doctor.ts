import {
  type AnyJobDefinition,
  DEFAULT_MAX_MESSAGE_BYTES,
  type QueueDriver,
  type QueueInfo,
} from "@glasswork/core";
import { checkBatchItemFailures } from "./check-batch-item-failures.js";
import { checkDeadLetterQueue } from "./check-dead-letter-queue.js";
import { checkDeadlineMargin } from "./check-deadline-margin.js";
import { checkMaxReceiveCount } from "./check-max-receive-count.js";
import { checkMessageSize } from "./check-message-size.js";
import { checkVisibilityTimeout } from "./check-visibility-timeout.js";
import type { DoctorCheck, DoctorFinding, WorkerFacts } from "./finding.js";

/** Every check `doctor` runs, in the order it reports them. */
export const DOCTOR_CHECKS: readonly DoctorCheck[] = [
  checkDeadLetterQueue,
  checkMaxReceiveCount,
  checkVisibilityTimeout,
  checkDeadlineMargin,
  checkMessageSize,
  checkBatchItemFailures,
];

/** Options of {@link doctor}. */
export interface DoctorOptions {
  /** The logical queues to check. Default: every queue the jobs name. */
  readonly queues?: readonly string[];
  /** The job definitions deployed on these queues. */
  readonly jobs: readonly AnyJobDefinition[];
  /** What is known of the worker, per queue or for all of them. */
  readonly worker?: WorkerFacts | Readonly<Record<string, WorkerFacts>>;
  /** `JobService`'s `maxMessageBytes`. Default 262,144. */
  readonly producerMaxMessageBytes?: number;
}

/** What {@link doctor} found. */
export interface DoctorReport {
  /** Problems, errors first. Empty when the deployment matches the job definitions. */
  readonly findings: DoctorFinding[];
  readonly queues: readonly string[];
}

/**
 * Checks a deployment against its job definitions: a dead-letter queue of the right kind,
 * `maxReceiveCount` ≥ every job's `maxAttempts`, a visibility timeout ≥ 6× the worker's timeout,
 * a timeout that leaves room for the deadline margin, a queue size limit ≥ the producer's, and
 * `ReportBatchItemFailures` on the event source mapping. Each finding says how to fix it;
 * checks whose facts are unknown (no worker timeout given, say) are skipped.
 *
 * @example
 * // given: driver, sendEmail
 * const { findings } = await doctor(driver, { jobs: [sendEmail], worker: { functionTimeoutSeconds: 30 } });
 * for (const f of findings) console.log(`${f.severity} ${f.check}: ${f.message}\n  fix: ${f.fix}`);
 */
export async function doctor(driver: QueueDriver, options: DoctorOptions): Promise<DoctorReport> {
  const queues = options.queues ?? [...new Set(options.jobs.map((job) => job.queue))];
  const findings: DoctorFinding[] = [];
  for (const queue of queues) {
    const info = await driver.queueInfo(queue);
    const deadLetterInfo: QueueInfo | undefined = info.deadLetterQueue
      ? await driver.queueInfo(info.deadLetterQueue)
      : undefined;
    const facts = {
      queue,
      info,
      deadLetterInfo,
      jobs: options.jobs.filter((job) => job.queue === queue),
      worker: workerFactsFor(options.worker, queue),
      producerMaxMessageBytes: options.producerMaxMessageBytes ?? DEFAULT_MAX_MESSAGE_BYTES,
    };
    for (const check of DOCTOR_CHECKS) findings.push(...check(facts));
  }
  findings.sort((a, b) => (a.severity === b.severity ? 0 : a.severity === "error" ? -1 : 1));
  return { findings, queues };
}

function workerFactsFor(worker: DoctorOptions["worker"], queue: string): WorkerFacts {
  if (worker === undefined) return {};
  const keys: readonly string[] = [
    "functionTimeoutSeconds",
    "deadlineMarginMs",
    "reportBatchItemFailures",
  ];
  const perQueue = !Object.keys(worker).some((key) => keys.includes(key));
  return perQueue
    ? ((worker as Record<string, WorkerFacts>)[queue] ?? {})
    : (worker as WorkerFacts);
}
