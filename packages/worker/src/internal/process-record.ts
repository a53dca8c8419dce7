import {
  type AnyJobDefinition,
  type DeadLetterReason,
  decideRetry,
  decodeEnvelope,
  InvalidEnvelopeError,
  isJobError,
  type JobContext,
  type JobEnvelope,
  type ReceivedMessage,
  RetryExhaustedError,
  type RetryPolicy,
  SIGNATURE_ATTRIBUTE,
  TransientJobError,
  UnknownJobError,
  validatePayload,
} from "@glasswork/core";
import type { JobExecution, JobOutcome } from "../worker-hooks.js";
import { afterHooks, startHooks } from "./lifecycle-hooks.js";
import { RecordContext } from "./record-context.js";
import { runAroundHooks } from "./run-around-hooks.js";
import type { Invocation, WorkerRuntime } from "./worker-runtime.js";

const DEAD_LETTER_ERROR_MAX_LENGTH = 1_000;

/**
 * Turns one received message into exactly one outcome (DESIGN §7): run it, retry it through
 * its visibility, relay it, or dead-letter it, firing each lifecycle hook at most once.
 */
export async function processRecord(
  rt: WorkerRuntime,
  invocation: Invocation,
  message: ReceivedMessage,
): Promise<JobOutcome> {
  if (
    rt.signer &&
    !(await rt.signer.verify(message.body, message.attributes[SIGNATURE_ATTRIBUTE]))
  ) {
    const error = new InvalidEnvelopeError(
      "invalid-signature",
      "the message is not signed with an accepted key",
    );
    rt.logger.warn(
      { messageId: message.messageId, queue: message.queue },
      "unsigned or forged message",
    );
    return deadLetter(rt, invocation, message, undefined, undefined, "signature", error);
  }
  const decoded = decodeEnvelope(message.body);
  if (!decoded.ok) {
    const reason = decoded.error.reason === "not-json" ? "malformed" : "invalid-envelope";
    rt.logger.warn(
      { messageId: message.messageId, queue: message.queue, err: decoded.error },
      "unreadable message",
    );
    return deadLetter(rt, invocation, message, undefined, undefined, reason, decoded.error);
  }
  const { envelope } = decoded;
  if (envelope.runAt !== undefined) {
    const remainingMs = Date.parse(envelope.runAt) - rt.now();
    if (remainingMs > 0) return relay(rt, message, remainingMs);
  }

  // Frozen, like the context and the outcome: the worker reads them back after hooks ran, so a
  // hook that writes to them (attempt = 99, status = "completed") must fail, not steer the outcome.
  const execution: JobExecution = {
    jobId: envelope.id,
    jobName: envelope.name,
    queue: message.queue,
    messageId: message.messageId,
    attempt: message.receiveCount,
    enqueuedAt: new Date(envelope.enqueuedAt),
    payload: envelope.payload,
    meta: envelope.meta ?? {},
    kind: "job",
  };
  // Frozen when hooks see it: the worker reads it back after they ran, so a hook that writes
  // to it must fail, not steer the outcome.
  if (rt.hooks.length > 0) Object.freeze(execution);

  return runAroundHooks(rt.hooks, execution, rt.logger, rt.hookTimeoutMs, () =>
    execute(rt, invocation, message, envelope, execution),
  );
}

async function execute(
  rt: WorkerRuntime,
  invocation: Invocation,
  message: ReceivedMessage,
  envelope: JobEnvelope,
  execution: JobExecution,
): Promise<JobOutcome> {
  const ctx = createContext(rt, invocation, execution);
  const job = rt.jobs.get(envelope.name);
  if (!job) {
    const error = new UnknownJobError(envelope.name);
    ctx.logger.warn({ err: error }, "unknown job (a deploy skew?)");
    return fail(
      rt,
      invocation,
      message,
      execution,
      ctx,
      rt.unknownJobRetry,
      error,
      undefined,
      "unknown-job",
    );
  }

  const pending = validatePayload(job, envelope.payload);
  // Synchronous schemas (valibot's) skip a microtask on the hot path.
  const validated = pending instanceof Promise ? await pending : pending;
  if (!validated.ok) {
    ctx.logger.warn({ err: validated.error }, "invalid payload");
    await afterHooks(rt, "onJobFailed", (h) =>
      h.onJobFailed?.(execution, ctx, {
        error: validated.error,
        willRetry: false,
        retryDelaySeconds: undefined,
        durationMs: undefined,
      }),
    );
    return deadLetter(rt, invocation, message, execution, ctx, "invalid-payload", validated.error);
  }

  if (rt.hooks.length > 0) await startHooks(rt, execution, ctx);
  const startedAt = performance.now();
  const ran = runHandler(job, validated.value, ctx, invocation);
  const settled = ran instanceof Promise ? await ran : ran;
  // A new error per record, so that error trackers see each timed-out job.
  const error =
    settled === "gave-up"
      ? {
          value: new TransientJobError(
            "the job was still running when the invocation ran out of time",
          ),
        }
      : settled;
  const durationMs = performance.now() - startedAt;
  if (error === undefined) {
    // The parent logger with explicit fields: a child logger per record costs more than a no-op job.
    rt.logger.debug(
      {
        jobId: execution.jobId,
        jobName: execution.jobName,
        attempt: execution.attempt,
        durationMs,
      },
      "job completed",
    );
    if (rt.hooks.length > 0) {
      await afterHooks(rt, "onJobComplete", (h) =>
        h.onJobComplete?.(execution, ctx, { durationMs }),
      );
    }
    return { status: "completed", durationMs };
  }
  return fail(
    rt,
    invocation,
    message,
    execution,
    ctx,
    job.retry,
    error.value,
    durationMs,
    undefined,
  );
}

/** Runs the handler; resolves with the failure, if any, or `undefined`. */
function runHandler(
  job: AnyJobDefinition,
  payload: unknown,
  ctx: JobContext,
  invocation: Invocation,
): { value: unknown } | undefined | Promise<{ value: unknown } | undefined | "gave-up"> {
  let result: unknown;
  try {
    result = job.handler(payload, ctx);
  } catch (value) {
    return { value };
  }
  // A synchronous handler is done; an async one (any thenable) races the give-up time.
  if (!(result instanceof Promise)) {
    if (typeof (result as PromiseLike<unknown> | undefined)?.then !== "function") return undefined;
    result = Promise.resolve(result);
  }
  const running = (result as Promise<unknown>).then(
    () => undefined,
    (value: unknown) => ({ value }),
  );
  return invocation.deadline.finite
    ? Promise.race([running, invocation.deadline.gaveUp()])
    : running;
}

async function fail(
  rt: WorkerRuntime,
  invocation: Invocation,
  message: ReceivedMessage,
  execution: JobExecution,
  ctx: JobContext,
  policy: RetryPolicy,
  error: unknown,
  durationMs: number | undefined,
  deadReason: DeadLetterReason | undefined,
): Promise<JobOutcome> {
  const decision = decideRetry(policy, execution.attempt, error, rt.random);
  if (decision.retry) {
    ctx.logger.warn(
      { err: error, retryDelaySeconds: decision.delaySeconds },
      "job failed; will retry",
    );
    await setVisibility(rt, invocation, message, decision.delaySeconds);
    await afterHooks(rt, "onJobFailed", (h) =>
      h.onJobFailed?.(execution, ctx, {
        error,
        willRetry: true,
        retryDelaySeconds: decision.delaySeconds,
        durationMs,
      }),
    );
    return {
      status: "retry",
      error,
      retryDelaySeconds: decision.delaySeconds,
      ...(durationMs !== undefined && { durationMs }),
    };
  }

  await afterHooks(rt, "onJobFailed", (h) =>
    h.onJobFailed?.(execution, ctx, {
      error,
      willRetry: false,
      retryDelaySeconds: undefined,
      durationMs,
    }),
  );
  if (!decision.dead) {
    ctx.logger.warn({ err: error }, "job failed and is discarded (no retries left, dead: false)");
    return { status: "discarded", error, ...(durationMs !== undefined && { durationMs }) };
  }
  const permanent = isJobError(error, "PERMANENT");
  const reason = permanent ? "permanent" : (deadReason ?? "retry-exhausted");
  const finalError = permanent
    ? error
    : new RetryExhaustedError(execution.jobName, execution.attempt, error);
  ctx.logger.error({ err: finalError }, "job failed for good; moving it to the dead-letter queue");
  const outcome = await deadLetter(rt, invocation, message, execution, ctx, reason, finalError);
  return durationMs === undefined ? outcome : { ...outcome, durationMs };
}

async function deadLetter(
  rt: WorkerRuntime,
  invocation: Invocation,
  message: ReceivedMessage,
  execution: JobExecution | undefined,
  ctx: JobContext | undefined,
  reason: DeadLetterReason,
  error: unknown,
): Promise<JobOutcome> {
  const logger =
    ctx?.logger ?? rt.logger.child({ messageId: message.messageId, queue: message.queue });
  try {
    await invocation.settle(message.messageId);
    await rt.driver.moveToDeadLetter(message, {
      reason,
      error: errorText(error),
      attempt: message.receiveCount,
    });
  } catch (moveError) {
    // Nothing is lost: the message stays in its queue and comes back after its visibility timeout.
    const missing = isJobError(moveError, "NO_DEAD_LETTER_QUEUE");
    logger.error(
      { err: moveError, reason, cause: errorText(error) },
      missing
        ? "COULD NOT DEAD-LETTER the message: its queue has no dead-letter queue. It stays in its queue and will be received again. Configure a dead-letter queue."
        : "could not dead-letter the message; it stays in its queue and dead-lettering is tried again on its next receive",
    );
    return { status: "deferred", error: moveError, deadLetterReason: reason };
  }
  await afterHooks(rt, "onJobDeadLetter", (h) =>
    h.onJobDeadLetter?.({ execution, message, reason, error }),
  );
  return { status: "dead_letter", error, deadLetterReason: reason };
}

async function relay(
  rt: WorkerRuntime,
  message: ReceivedMessage,
  remainingMs: number,
): Promise<JobOutcome> {
  const delaySeconds = Math.min(rt.driver.maxDelaySeconds, Math.ceil(remainingMs / 1000));
  const [result] = await rt.driver
    .send([
      { queue: message.queue, body: message.body, attributes: message.attributes, delaySeconds },
    ])
    .catch((error: unknown) => [{ ok: false as const, error: error as Error, retryable: true }]);
  if (result?.ok) return { status: "relayed" };
  rt.logger.error(
    { messageId: message.messageId, err: result?.error },
    "could not relay a delayed job; it will be received again",
  );
  return { status: "deferred", error: result?.error };
}

async function setVisibility(
  rt: WorkerRuntime,
  invocation: Invocation,
  message: ReceivedMessage,
  seconds: number,
): Promise<void> {
  try {
    await invocation.settle(message.messageId);
    await rt.driver.changeVisibility(message.queue, message.receiptHandle, seconds);
  } catch (error) {
    // The message still comes back, after the queue's visibility timeout instead of the backoff.
    rt.logger.warn({ err: error, messageId: message.messageId }, "could not set the retry delay");
  }
}

function createContext(
  rt: WorkerRuntime,
  invocation: Invocation,
  execution: JobExecution,
): JobContext {
  const ctx = new RecordContext(rt.logger, invocation, execution);
  // Frozen when hooks see it, like the execution.
  return rt.hooks.length > 0 ? Object.freeze(ctx) : ctx;
}

// The dead-letter details carry "the last error's message": for a RetryExhaustedError (and an
// envelope's parse failure) that is its cause, so the cause chain is written too.
function errorText(error: unknown): string {
  const parts: string[] = [];
  let current: unknown = error;
  for (let depth = 0; depth < 5 && current !== undefined; depth++) {
    parts.push(current instanceof Error ? `${current.name}: ${current.message}` : String(current));
    current = current instanceof Error ? current.cause : undefined;
  }
  const text = parts.join("; caused by ");
  return text.length > DEAD_LETTER_ERROR_MAX_LENGTH
    ? `${text.slice(0, DEAD_LETTER_ERROR_MAX_LENGTH)}…`
    : text;
}
