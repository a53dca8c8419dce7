import { QueueDriverError } from "../errors.js";
import type { LongDelayScheduler } from "../long-delay-scheduler.js";
import type { OutgoingMessage, QueueDriver, SendResult } from "../queue-driver.js";
import type { PreparedJob } from "./prepare-job.js";
import { sendWithRetries } from "./send-with-retries.js";

/** A job ready to go, and its message. */
export interface Dispatchable {
  readonly prepared: PreparedJob;
  readonly message: OutgoingMessage;
}

/** Where {@link dispatchJobs} sends. */
export interface DispatchTargets {
  readonly driver: QueueDriver;
  readonly sendRetries: number;
  /** Takes the jobs due later than the driver can delay, when configured. */
  readonly longDelays: LongDelayScheduler | undefined;
}

/**
 * Sends jobs through the driver (re-sending transient failures), except those due beyond the
 * driver's maximum delay when a long-delay scheduler is configured: those are scheduled.
 * Resolves with one result per item, in order; never rejects.
 */
export async function dispatchJobs(
  items: readonly Dispatchable[],
  targets: DispatchTargets,
): Promise<SendResult[]> {
  const { driver, sendRetries, longDelays: scheduler } = targets;
  const later = scheduler ? items.filter((s) => s.prepared.enqueueing.runAt) : [];
  if (!scheduler || later.length === 0) {
    return sendWithRetries(
      driver,
      items.map((s) => s.message),
      sendRetries,
    );
  }
  const now = items.filter((s) => !s.prepared.enqueueing.runAt);
  const [sent, scheduled] = await Promise.all([
    sendWithRetries(
      driver,
      now.map((s) => s.message),
      sendRetries,
    ),
    scheduler
      .schedule(
        later.map(({ prepared, message: { delaySeconds: _native, ...message } }) => ({
          jobId: prepared.enqueueing.jobId,
          runAt: prepared.enqueueing.runAt as Date,
          message,
        })),
      )
      .catch((error: unknown) =>
        later.map((): SendResult => ({ ok: false, error: error as Error, retryable: false })),
      ),
  ]);
  const results = new Map<Dispatchable, SendResult | undefined>();
  for (const [i, s] of now.entries()) results.set(s, sent[i]);
  for (const [i, s] of later.entries()) results.set(s, scheduled[i]);
  return items.map(
    (s) =>
      results.get(s) ?? {
        ok: false,
        retryable: false,
        error: new QueueDriverError(s.message.queue, "send", "no result for this message"),
      },
  );
}
