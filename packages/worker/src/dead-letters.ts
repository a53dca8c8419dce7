import {
  DEAD_LETTER_ATTRIBUTES,
  type DeadLetterReason,
  decodeEnvelope,
  JobError,
  NoDeadLetterQueueError,
  type OutgoingMessage,
  type QueueDriver,
  type QueueInfo,
  type ReceivedMessage,
} from "@glasswork/core";

/** A message in a dead-letter queue, with why it is there. */
export interface DeadLetter {
  readonly messageId: string;
  /** The queue it came from. */
  readonly sourceQueue: string | undefined;
  /**
   * Why it is there. A message without `glasswork.dlq.*` attributes was moved by the queue's
   * own redrive policy (SQS adds nothing): it reads as `max-receive-count`.
   */
  readonly reason: DeadLetterReason | undefined;
  readonly error: string | undefined;
  /** The attempt the worker dead-lettered it on; absent for the queue's own redrive. */
  readonly attempt: number | undefined;
  /** The transport's receive count, receives of the dead-letter queue (listings) included. */
  readonly receiveCount: number;
  /** From the envelope, when the body is one. */
  readonly jobName: string | undefined;
  readonly jobId: string | undefined;
  readonly payload: unknown;
  readonly enqueuedAt: string | undefined;
  /** When it arrived in the dead-letter queue; for the queue's own redrive, when it was first sent. */
  readonly deadLetteredAt: Date;
  readonly body: string;
}

/** Options of {@link listDeadLetters} and {@link redriveDeadLetters}. */
export interface DeadLetterOptions {
  /** Most messages to look at. Default 100. */
  readonly limit?: number;
}

/**
 * Lists what is in a queue's dead-letter queue without removing it: messages are received for
 * a moment and released at once.
 *
 * @example
 * // given: driver
 * const dead = await listDeadLetters(driver, "default", { limit: 20 });
 * for (const d of dead) console.log(d.jobName, d.reason, d.error);
 */
export async function listDeadLetters(
  driver: QueueDriver,
  queue: string,
  options: DeadLetterOptions = {},
): Promise<DeadLetter[]> {
  const info = await driver.queueInfo(queue);
  const deadLetterQueue = deadLetterQueueOf(queue, info);
  const limit = options.limit ?? 100;
  const seen = new Map<string, ReceivedMessage>();
  // Received messages stay hidden until released, so each receive returns new ones.
  while (seen.size < limit) {
    const batch = await driver.receive(deadLetterQueue, {
      maxMessages: Math.min(10, limit - seen.size),
      visibilityTimeoutSeconds: 30,
    });
    if (batch.length === 0) break;
    for (const message of batch) seen.set(message.messageId, message);
  }
  await Promise.all(
    [...seen.values()].map((m) =>
      driver.changeVisibility(deadLetterQueue, m.receiptHandle, 0).catch(() => undefined),
    ),
  );
  return [...seen.values()].map((m) => describe(m, info.maxReceiveCount));
}

/** What {@link redriveDeadLetters} did. */
export interface RedriveResult {
  /** Messages sent back to their queue and removed from the dead-letter queue. */
  readonly moved: number;
  /** Messages that could not be sent back; they stay in the dead-letter queue. */
  readonly failed: number;
}

/**
 * Sends dead-lettered messages back to their queue to run again (after the cause is fixed),
 * without the dead-letter attributes; each is removed from the dead-letter queue only once it
 * is back. Job ids are kept, so idempotent handlers stay safe.
 *
 * @example
 * // given: driver
 * const { moved } = await redriveDeadLetters(driver, "default");
 */
export async function redriveDeadLetters(
  driver: QueueDriver,
  queue: string,
  options: DeadLetterOptions = {},
): Promise<RedriveResult> {
  const deadLetterQueue = deadLetterQueueOf(queue, await driver.queueInfo(queue));
  const limit = options.limit ?? Number.POSITIVE_INFINITY;
  let moved = 0;
  let failed = 0;
  while (moved + failed < limit) {
    const batch = await driver.receive(deadLetterQueue, {
      maxMessages: Math.min(10, limit - moved - failed),
      visibilityTimeoutSeconds: 60,
    });
    if (batch.length === 0) break;
    const results = await driver.send(batch.map((message) => backToSource(queue, message)));
    const done = batch.filter((_, i) => results[i]?.ok);
    const kept = batch.filter((_, i) => !results[i]?.ok);
    if (done.length > 0) {
      try {
        await driver.delete(
          deadLetterQueue,
          done.map((m) => m.receiptHandle),
        );
      } catch (error) {
        // They are back in their queue but still in the dead-letter queue: say so and stop,
        // rather than let a second redrive send them again.
        throw new RedriveError(moved + done.length, failed + kept.length, error);
      }
    }
    // Release what could not be sent, so that it can be listed and retried at once.
    await Promise.all(
      kept.map((m) =>
        driver.changeVisibility(deadLetterQueue, m.receiptHandle, 0).catch(() => undefined),
      ),
    );
    moved += done.length;
    failed += kept.length;
    if (done.length === 0) break;
  }
  return { moved, failed };
}

/**
 * A redrive stopped because messages sent back to their queue could not be removed from the
 * dead-letter queue: they now sit in both. Do not redrive again before looking.
 */
export class RedriveError extends JobError {
  /** Messages sent back, the ones in both queues included. */
  readonly moved: number;
  /** Messages that could not be sent back; they stay in the dead-letter queue. */
  readonly failed: number;

  constructor(moved: number, failed: number, cause: unknown) {
    super(
      "REDRIVE_INCOMPLETE",
      `Redrive stopped: ${moved} messages were sent back, but the last of them could not be deleted from the dead-letter queue and are now in both queues`,
      { cause },
    );
    this.name = "RedriveError";
    this.moved = moved;
    this.failed = failed;
  }
}

function deadLetterQueueOf(queue: string, info: QueueInfo): string {
  if (!info.deadLetterQueue) throw new NoDeadLetterQueueError(queue);
  return info.deadLetterQueue;
}

function backToSource(queue: string, message: ReceivedMessage): OutgoingMessage {
  const dlqNames = new Set<string>(Object.values(DEAD_LETTER_ATTRIBUTES));
  const attributes = Object.fromEntries(
    Object.entries(message.attributes).filter(([name]) => !dlqNames.has(name)),
  );
  return {
    queue,
    body: message.body,
    attributes,
    ...(message.groupId !== undefined && {
      groupId: message.groupId,
      deduplicationId: `redrive-${message.messageId}`,
    }),
  };
}

function describe(message: ReceivedMessage, maxReceiveCount: number | undefined): DeadLetter {
  const decoded = decodeEnvelope(message.body);
  const envelope = decoded.ok ? decoded.envelope : undefined;
  const { attributes, receiveCount } = message;
  const reason = attributes[DEAD_LETTER_ATTRIBUTES.reason] as DeadLetterReason | undefined;
  const attempt = attributes[DEAD_LETTER_ATTRIBUTES.attempt];
  const movedByQueue = !Object.values(DEAD_LETTER_ATTRIBUTES).some((name) => name in attributes);
  return {
    messageId: message.messageId,
    sourceQueue: attributes[DEAD_LETTER_ATTRIBUTES.sourceQueue],
    reason: movedByQueue ? "max-receive-count" : reason,
    error: movedByQueue
      ? `moved by the queue's redrive policy after maxReceiveCount${maxReceiveCount === undefined ? "" : ` (${maxReceiveCount})`} receives (received ${receiveCount} times, receives of the dead-letter queue included)`
      : attributes[DEAD_LETTER_ATTRIBUTES.error],
    attempt: attempt === undefined ? undefined : Number(attempt),
    receiveCount,
    jobName: envelope?.name,
    jobId: envelope?.id,
    payload: envelope?.payload,
    enqueuedAt: envelope?.enqueuedAt,
    deadLetteredAt: new Date(message.sentTimestamp),
    body: message.body,
  };
}
