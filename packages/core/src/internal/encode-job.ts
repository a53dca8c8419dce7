import { encodeEnvelope, JOB_NAME_ATTRIBUTE, type JobEnvelope } from "../envelope.js";
import { type EnvelopeSigner, SIGNATURE_ATTRIBUTE } from "../envelope-signer.js";
import { PayloadTooLargeError } from "../errors.js";
import { measureMessageBytes } from "../message-size.js";
import type { PayloadStore } from "../payload-store.js";
import type { OutgoingMessage } from "../queue-driver.js";
import { claimPayload } from "./claim-payload.js";
import type { PreparedJob } from "./prepare-job.js";
import { deduplicationIdOf } from "./transport-ids.js";

/** How {@link encodeJob} turns a job into a message. */
export interface EncodeOptions {
  readonly maxMessageBytes: number;
  readonly signer: EnvelopeSigner | undefined;
  /** Takes the payloads of messages above its threshold (a claim check). */
  readonly payloadStore?: PayloadStore | undefined;
}

/**
 * Encodes a prepared job (after the hooks wrote its `meta`) into the message to send, or the
 * error that stops it: too large, or an envelope a hook made unencodable. Never throws, so that
 * one item cannot keep the others, or the hooks' `onEnqueued`, from running.
 */
export async function encodeJob(
  prepared: PreparedJob,
  options: EncodeOptions,
): Promise<OutgoingMessage | Error> {
  const { enqueueing } = prepared;
  try {
    const envelope: JobEnvelope = {
      v: 1,
      id: enqueueing.jobId,
      name: enqueueing.jobName,
      payload: enqueueing.payload,
      enqueuedAt: prepared.enqueuedAt,
      ...(enqueueing.runAt && { runAt: enqueueing.runAt.toISOString() }),
      ...(enqueueing.expiresAt && { expiresAt: enqueueing.expiresAt.toISOString() }),
      ...(Object.keys(enqueueing.meta).length > 0 && { meta: enqueueing.meta }),
    };
    let body = encodeEnvelope(envelope);
    const attributes: Record<string, string> = { [JOB_NAME_ATTRIBUTE]: enqueueing.jobName };
    if (options.signer) attributes[SIGNATURE_ATTRIBUTE] = await options.signer.sign(body);
    let size = measureMessageBytes(body, attributes);
    const store = options.payloadStore;
    if (store && size > Math.min(store.thresholdBytes ?? Infinity, options.maxMessageBytes)) {
      // The limit then applies to the envelope with its claim, which the signature covers.
      body = encodeEnvelope(await claimPayload(store, envelope, enqueueing.queue));
      if (options.signer) attributes[SIGNATURE_ATTRIBUTE] = await options.signer.sign(body);
      size = measureMessageBytes(body, attributes);
    }
    if (size > options.maxMessageBytes)
      return new PayloadTooLargeError(enqueueing.jobName, size, options.maxMessageBytes);
    return {
      queue: enqueueing.queue,
      body,
      attributes,
      ...(enqueueing.delaySeconds > 0 && { delaySeconds: enqueueing.delaySeconds }),
      groupId: prepared.groupId,
      deduplicationId: await deduplicationIdOf(enqueueing.jobName, enqueueing.jobId),
    };
  } catch (error) {
    return error instanceof Error ? error : new Error(String(error));
  }
}
