import type { JobOutcome } from "@glasswork/core";
import {
  type AnyJobDefinition,
  type JobEnvelope,
  type PayloadClaim,
  readClaimedPayload,
  TransientJobError,
} from "@glasswork/core";
import type { RecordRun } from "./record-run.js";
import { settleFailure } from "./settle-failure.js";

/** The payload of a claimed envelope, or the outcome of a record whose payload could not be read. */
export type LoadedPayload =
  | { readonly ok: true; readonly payload: unknown }
  | { readonly ok: false; readonly outcome: JobOutcome };

/**
 * Fetches a claimed payload from the worker's `payloadStore` before validation. A payload that
 * can never be read (missing, refused reference, corrupt) is a permanent error and dead-letters
 * the record with its body, and so its reference, unchanged; a store that fails otherwise is
 * transient (DESIGN §13): the job retries under its own policy.
 */
export async function loadClaimedPayload(
  run: RecordRun,
  job: AnyJobDefinition,
  envelope: JobEnvelope & { readonly claim: PayloadClaim },
): Promise<LoadedPayload> {
  const store = run.rt.payloadStore;
  if (!store) {
    // Deploy skew: the producers offload before this worker is configured to read.
    const error = new TransientJobError(
      `job "${envelope.name}" has its payload in a payload store, and this worker has no payloadStore`,
    );
    return {
      ok: false,
      outcome: await settleFailure(run, { error, policy: run.rt.unknownJobRetry }),
    };
  }
  try {
    return { ok: true, payload: await readClaimedPayload(store, envelope) };
  } catch (error) {
    run.ctx?.logger.warn({ err: error }, "could not read the claimed payload");
    return { ok: false, outcome: await settleFailure(run, { error, policy: job.retry }) };
  }
}

/** After a claimed job completed: lets the store clean up (`release`); a failure is only logged. */
export async function releaseClaim(run: RecordRun, envelope: JobEnvelope): Promise<void> {
  const { claim } = envelope;
  if (!claim || !run.rt.payloadStore?.release) return;
  try {
    await run.rt.payloadStore.release(claim, { jobId: envelope.id, jobName: envelope.name });
  } catch (error) {
    (run.ctx?.logger ?? run.rt.logger).warn(
      { err: error, key: claim.key },
      "could not release the claimed payload; a lifecycle rule has to remove it",
    );
  }
}
