import type {
  AnyJobDefinition,
  JobContext,
  JobEnvelope,
  JobExecution,
  ReceivedMessage,
} from "@glasswork/core";
import { RecordContext } from "./record-context.js";
import type { JobDeadLetterTarget } from "./run-job-dead-letter.js";
import type { MessageHistory } from "./run-ledger.js";
import type { Invocation, WorkerRuntime } from "./worker-runtime.js";

/**
 * One record's run through the steps (admit, run the handler, settle a failure, dead-letter):
 * what every step needs, in one object instead of positional parameters. `envelope` and `ctx`
 * exist once the envelope is read, `job` and `payload` once the payload is valid. `execution`
 * (what hooks see) is made only when there are hooks ({@link setExecution}): nothing else reads
 * it, and its `enqueuedAt` date costs more than a no-op job.
 */
export interface RecordRun {
  readonly rt: WorkerRuntime;
  readonly invocation: Invocation;
  readonly message: ReceivedMessage;
  /** What this worker instance saw of the message before. */
  readonly history: MessageHistory;
  /** SQS's receive count less the releases this instance saw: the attempt the job is on. */
  readonly attempt: number;
  /** The envelope read from the body. */
  envelope: JobEnvelope | undefined;
  execution: JobExecution | undefined;
  ctx: JobContext | undefined;
  /** The job and its validated payload, once the payload passed the schema. */
  job: AnyJobDefinition | undefined;
  payload: unknown;
  /** The job's own `onDeadLetter`, with its payload, when it has one. */
  deadLetterTarget: JobDeadLetterTarget | undefined;
  /** The envelope, when its payload was offloaded (a claim to release after success). */
  claimed: JobEnvelope | undefined;
}

/** Starts the run of a received message. */
export function createRecordRun(
  rt: WorkerRuntime,
  invocation: Invocation,
  message: ReceivedMessage,
): RecordRun {
  const history = rt.ledger.get(message.messageId);
  return {
    rt,
    invocation,
    message,
    history,
    attempt: Math.max(1, message.receiveCount - history.releases),
    // Set now, not added later: every run object keeps one shape.
    envelope: undefined,
    execution: undefined,
    ctx: undefined,
    job: undefined,
    payload: undefined,
    deadLetterTarget: undefined,
    claimed: undefined,
  };
}

/**
 * Makes the run as hooks see it from `envelope` and sets it on the run: only when there are
 * hooks. Frozen, like the context and the outcome: the worker reads them back after hooks ran,
 * so a hook that writes to them must fail, not steer the outcome.
 */
export function setExecution(run: RecordRun, envelope: JobEnvelope): JobExecution {
  const { message } = run;
  const execution: JobExecution = Object.freeze({
    jobId: envelope.id,
    jobName: envelope.name,
    queue: message.queue,
    messageId: message.messageId,
    attempt: run.attempt,
    enqueuedAt: new Date(envelope.enqueuedAt),
    payload: envelope.payload,
    meta: envelope.meta ?? {},
    kind: "job",
  });
  run.execution = execution;
  return execution;
}

/**
 * Makes the record's `ctx` from `envelope` at `attempt` and sets it on the run, frozen when hooks
 * see it (like the execution it shares its date and meta with).
 */
export function setRecordContext(
  run: RecordRun,
  envelope: JobEnvelope,
  attempt: number,
): RecordContext {
  const { rt } = run;
  const ctx = new RecordContext(
    rt.logger,
    run.invocation,
    envelope,
    run.message,
    attempt,
    run.execution,
  );
  run.ctx = rt.hooks.length > 0 ? Object.freeze(ctx) : ctx;
  return ctx;
}
