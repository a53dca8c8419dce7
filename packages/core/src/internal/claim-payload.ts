import type { JobEnvelope } from "../envelope.js";
import { utf8Length } from "../message-size.js";
import type { PayloadStore } from "../payload-store.js";
import { sha256Hex } from "./sha256-hex.js";

/**
 * Writes an envelope's payload to the store and returns the envelope that goes on the queue
 * instead: no `payload` field (so that a worker without claim support refuses it as an invalid
 * envelope rather than running the job with nothing), and a `claim` naming the object.
 */
export async function claimPayload(
  store: PayloadStore,
  envelope: JobEnvelope,
  queue: string,
): Promise<JobEnvelope> {
  const { payload, ...rest } = envelope;
  const json = JSON.stringify(payload);
  const bytes = utf8Length(json);
  const sha256 = await sha256Hex(json);
  const where = await store.put({
    jobId: envelope.id,
    jobName: envelope.name,
    queue,
    json,
    bytes,
    sha256,
  });
  return {
    ...rest,
    claim: { store: where.store, bucket: where.bucket, key: where.key, bytes, sha256 },
  };
}
