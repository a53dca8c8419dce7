import { isJobError, QueueDriverError } from "../errors.js";
import type { OutgoingMessage, QueueDriver, SendResult } from "../queue-driver.js";
import { sleep } from "./sleep.js";

/**
 * Sends messages through the driver and re-sends those that failed for a transient reason, up
 * to `retries` times. Resolves with one result per message, in order; never rejects.
 */
export async function sendWithRetries(
  driver: QueueDriver,
  messages: readonly OutgoingMessage[],
  retries: number,
): Promise<SendResult[]> {
  if (messages.length === 0) return [];
  const results = await sendOnce(driver, messages);
  for (let retry = 1; retry <= retries; retry++) {
    const pending = results.flatMap((r, i) => (!r.ok && r.retryable ? [i] : []));
    if (pending.length === 0) break;
    // Full jitter from 100 ms, doubling: throttled senders back off instead of piling on.
    await sleep(Math.random() * 100 * 2 ** retry);
    const again = await sendOnce(
      driver,
      pending.map((i) => messages[i] as OutgoingMessage),
    );
    pending.forEach((i, j) => {
      const result = again[j];
      if (result) results[i] = result;
    });
  }
  return results;
}

// A driver rejects only when it could attempt nothing; then every message failed alike. One
// that answers with too few results failed those it left out.
async function sendOnce(
  driver: QueueDriver,
  messages: readonly OutgoingMessage[],
): Promise<SendResult[]> {
  let results: readonly SendResult[];
  try {
    results = await driver.send(messages);
  } catch (error) {
    const failure: SendResult = {
      ok: false,
      error: error instanceof Error ? error : new Error(String(error)),
      retryable: isJobError(error, "QUEUE_DRIVER") && (error as QueueDriverError).retryable,
    };
    return messages.map(() => failure);
  }
  return messages.map(
    (message, i) =>
      results[i] ?? {
        ok: false,
        retryable: false,
        error: new QueueDriverError(message.queue, "send", "the driver returned no result"),
      },
  );
}
