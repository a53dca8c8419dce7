import type { JobOutcome } from "@glasswork/core";
import type { RecordRun } from "./record-run.js";

/**
 * Sends a copy of a job due later than the transport can delay, with `min(maxDelay,
 * remaining)`; this copy is then deleted. No attempt is counted and no hook fires.
 */
export async function relayRecord(run: RecordRun, remainingMs: number): Promise<JobOutcome> {
  const { rt, message } = run;
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
