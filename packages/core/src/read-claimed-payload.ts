import { ClaimedPayloadError } from "./claimed-payload-error.js";
import type { JobEnvelope } from "./envelope.js";
import { FORBIDDEN_KEYS } from "./internal/json-value.js";
import { sha256Hex } from "./internal/sha256-hex.js";
import { utf8Length } from "./message-size.js";
import type { PayloadClaim, PayloadStore } from "./payload-store.js";

/**
 * Fetches the payload of an envelope that carries a `claim` and checks it against the claim's
 * size and SHA-256 (which the envelope's signature covers), with the same prototype-pollution
 * guard as the envelope decoder. Throws a {@link ClaimedPayloadError} for what retrying cannot
 * fix (missing, refused, corrupt) and passes on the store's other errors, which are transient.
 *
 * @example
 * // given: envelope, store
 * const { claim } = envelope;
 * const payload = claim ? await readClaimedPayload(store, { ...envelope, claim }) : envelope.payload;
 */
export async function readClaimedPayload(
  store: PayloadStore,
  envelope: JobEnvelope & { readonly claim: PayloadClaim },
): Promise<unknown> {
  const { claim } = envelope;
  const location = `${claim.store}://${claim.bucket}/${claim.key}`;
  const json = await store.get(claim, { jobId: envelope.id, jobName: envelope.name });
  const corrupt = (what: string, cause?: unknown) =>
    new ClaimedPayloadError(
      "corrupt",
      location,
      `The claimed payload of job "${envelope.name}" (${envelope.id}) at ${location} ${what}`,
      { cause },
    );
  if (utf8Length(json) !== claim.bytes)
    throw corrupt(`is not the ${claim.bytes} bytes the claim says`);
  if ((await sha256Hex(json)) !== claim.sha256) {
    throw corrupt("does not match the claim's SHA-256 (changed after it was enqueued)");
  }
  let forbidden: string | undefined;
  let payload: unknown;
  try {
    payload = JSON.parse(json, (key, value) => {
      if (FORBIDDEN_KEYS.has(key)) forbidden ??= key;
      return value;
    });
  } catch (cause) {
    throw corrupt("is not JSON", cause);
  }
  if (forbidden !== undefined) throw corrupt(`contains a "${forbidden}" key`);
  return payload;
}
