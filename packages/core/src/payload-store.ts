/**
 * The reference an envelope carries instead of its payload when the payload was offloaded to a
 * {@link PayloadStore} (a claim check). It is part of the body, so a signature covers it, and
 * through `sha256` the stored payload as well.
 */
export interface PayloadClaim {
  /** Which kind of store wrote it, e.g. `"s3"`. */
  readonly store: string;
  /** The store's container (an S3 bucket). */
  readonly bucket: string;
  /** Where in the container. */
  readonly key: string;
  /** UTF-8 length of the stored payload's JSON. */
  readonly bytes: number;
  /** SHA-256 of the stored payload's JSON, lowercase hex. */
  readonly sha256: string;
}

/** What {@link PayloadStore.put} is given: one payload, already JSON. */
export interface OffloadedPayload {
  readonly jobId: string;
  readonly jobName: string;
  /** The logical queue the job goes to. */
  readonly queue: string;
  /** The payload's JSON. */
  readonly json: string;
  /** Its UTF-8 length. */
  readonly bytes: number;
  /** Its SHA-256, lowercase hex. */
  readonly sha256: string;
}

/** The job a claim belongs to, for the store's checks and error messages. */
export interface ClaimOwner {
  readonly jobId: string;
  readonly jobName: string;
}

/**
 * Where payloads too large for the queue go (`JobService`'s `payloadStore`), and where the
 * worker (`bootstrapWorker`'s `payloadStore`) reads them back: the claim-check pattern.
 * `@glasswork/claim-check` implements it on S3.
 *
 * Errors decide the job's outcome on the worker: a `PermanentJobError` (such as
 * {@link ClaimedPayloadError}) dead-letters it, anything else (the store is down) retries it.
 */
export interface PayloadStore {
  /**
   * Messages whose encoded size (body plus attributes) is above this many bytes are offloaded.
   * Default, and at most: the `JobService`'s size limit.
   */
  readonly thresholdBytes?: number | undefined;
  /** Writes a payload; resolves with where it is. */
  put(payload: OffloadedPayload): Promise<Pick<PayloadClaim, "store" | "bucket" | "key">>;
  /**
   * Reads a payload's JSON back. Must refuse, without reading, a claim this store would not have
   * written for `owner` (another bucket, a key outside its prefix), and throw a
   * `ClaimedPayloadError` when the object does not exist.
   */
  get(claim: PayloadClaim, owner: ClaimOwner): Promise<string>;
  /** Called once the job completed (e.g. to delete the object); its failure is only logged. */
  release?(claim: PayloadClaim, owner: ClaimOwner): Promise<void>;
}

/** The `claim` field of an envelope, checked: the decoder accepts nothing else there. */
export function isPayloadClaim(value: unknown): value is PayloadClaim {
  if (typeof value !== "object" || value === null || Array.isArray(value)) return false;
  const claim = value as Record<string, unknown>;
  return (
    typeof claim.store === "string" &&
    typeof claim.bucket === "string" &&
    typeof claim.key === "string" &&
    Number.isSafeInteger(claim.bytes) &&
    (claim.bytes as number) >= 0 &&
    typeof claim.sha256 === "string" &&
    /^[0-9a-f]{64}$/.test(claim.sha256)
  );
}
