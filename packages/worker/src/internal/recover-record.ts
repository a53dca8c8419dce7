import type { JobOutcome } from "@glasswork/core";
import { decodeEnvelope, type ReceivedMessage } from "@glasswork/core";
import { createRecordRun } from "./record-run.js";
import { settleFailure } from "./settle-failure.js";
import type { Invocation, WorkerRuntime } from "./worker-runtime.js";

/**
 * The outcome of a record whose processing threw outside the outcome table (a logger, a hook
 * runner, a bug): it must not fail the whole batch and re-run the records that completed, and
 * it must not come back forever without an outcome either. It is retried with the default
 * backoff of its job's policy, and dead-lettered when its attempts run out.
 */
export async function recoverRecord(
  rt: WorkerRuntime,
  invocation: Invocation,
  message: ReceivedMessage,
  culprit: unknown,
): Promise<JobOutcome> {
  try {
    rt.logger.error(
      { err: culprit, messageId: message.messageId },
      "unexpected error while processing a record; retrying it with the default backoff",
    );
  } catch {
    // The logger itself may be what failed.
  }
  try {
    const decoded = decodeEnvelope(message.body);
    const job = decoded.ok ? rt.jobs.get(decoded.envelope.name) : undefined;
    const policy = job ? { ...job.retry, backoff: {} } : rt.unknownJobRetry;
    return await settleFailure(createRecordRun(rt, invocation, message), {
      error: culprit,
      policy,
      ...(decoded.ok && { jobName: decoded.envelope.name }),
    });
  } catch (error) {
    return { status: "deferred", error };
  }
}
