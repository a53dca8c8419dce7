import {
  DeleteObjectCommand,
  GetObjectCommand,
  PutObjectCommand,
  S3Client,
} from "@aws-sdk/client-s3";
import {
  ClaimedPayloadError,
  type ClaimOwner,
  type PayloadClaim,
  type PayloadStore,
  TransientJobError,
} from "@glasswork/core";
import { checkKeyPrefix, claimKey, DEFAULT_KEY_PREFIX } from "./claim-key.js";

/** Options of {@link s3ClaimCheck}. */
export interface S3ClaimCheckOptions {
  /** The bucket payloads go to. The worker reads from this bucket only. */
  readonly bucket: string;
  /** Default `new S3Client({})` (region and credentials from the environment). */
  readonly client?: S3Client;
  /**
   * Messages above this many bytes (body plus attributes, as SQS counts) are offloaded. Default,
   * and at most: the `JobService`'s size limit.
   */
  readonly thresholdBytes?: number;
  /** Where in the bucket; empty or ending with `/`. Default `"glasswork/claims/"`. */
  readonly keyPrefix?: string;
  /** Encrypt objects with this KMS key (SSE-KMS); default: the bucket's own encryption. */
  readonly kmsKeyId?: string;
  /**
   * Delete an object once its job completed. Default `false`: a lifecycle rule removes objects
   * (see the README). With `true`, a duplicate delivery of a job that already completed finds no
   * object and is dead-lettered (it never runs twice).
   */
  readonly deleteAfterSuccess?: boolean;
}

/**
 * A {@link PayloadStore} on Amazon S3: give the same store to `JobService` (it writes payloads
 * too large for the queue) and to `bootstrapWorker` (it reads them back). The worker reads only
 * the key the job's id and the payload's digest give, in this bucket under this prefix: any other
 * reference is refused without a request.
 *
 * @example
 * // given: driver, renderReport, JobService, bootstrapWorker
 * const payloadStore = s3ClaimCheck({ bucket: process.env.PAYLOAD_BUCKET! });
 * const jobs = new JobService(driver, { payloadStore });
 * export const handler = bootstrapWorker({ jobs: [renderReport], driver, payloadStore });
 */
export function s3ClaimCheck(options: S3ClaimCheckOptions): PayloadStore {
  const { bucket, kmsKeyId, deleteAfterSuccess = false } = options;
  if (typeof bucket !== "string" || bucket.length === 0) {
    throw new TypeError("s3ClaimCheck needs a bucket");
  }
  const prefix = options.keyPrefix ?? DEFAULT_KEY_PREFIX;
  checkKeyPrefix(prefix);
  const { thresholdBytes } = options;
  if (
    thresholdBytes !== undefined &&
    (!Number.isSafeInteger(thresholdBytes) || thresholdBytes < 0)
  ) {
    throw new RangeError(`thresholdBytes must be a non-negative integer, got ${thresholdBytes}`);
  }
  const client = options.client ?? new S3Client({});
  const locationOf = (key: string) => `s3://${bucket}/${key}`;

  function check(claim: PayloadClaim, owner: ClaimOwner): void {
    const where = `s3://${claim.bucket}/${claim.key}`;
    const refuse = (why: string) =>
      new ClaimedPayloadError(
        "refused",
        where,
        `Refused the payload reference of job "${owner.jobName}" (${owner.jobId}): ${why}; it was not fetched`,
      );
    if (claim.store !== "s3") throw refuse(`it names store "${claim.store}", not "s3"`);
    if (claim.bucket !== bucket)
      throw refuse(`it names bucket "${claim.bucket}", this store reads "${bucket}" only`);
    if (!claim.key.startsWith(prefix)) throw refuse(`its key is outside the prefix "${prefix}"`);
    const expected = claimKey(prefix, owner.jobId, claim.sha256);
    if (claim.key !== expected)
      throw refuse(`its key is not "${expected}", the key of this job id and digest`);
  }

  return {
    thresholdBytes,
    async put(payload) {
      const key = claimKey(prefix, payload.jobId, payload.sha256);
      try {
        await client.send(
          new PutObjectCommand({
            Bucket: bucket,
            Key: key,
            Body: payload.json,
            ContentType: "application/json; charset=utf-8",
            ...(kmsKeyId !== undefined && {
              ServerSideEncryption: "aws:kms",
              SSEKMSKeyId: kmsKeyId,
            }),
          }),
        );
      } catch (cause) {
        throw new TransientJobError(
          `Could not write the payload of job "${payload.jobName}" (${payload.jobId}) to ${locationOf(key)}: ${messageOf(cause)}`,
          { cause },
        );
      }
      return { store: "s3", bucket, key };
    },
    async get(claim, owner) {
      check(claim, owner);
      try {
        const object = await client.send(new GetObjectCommand({ Bucket: bucket, Key: claim.key }));
        if (!object.Body) throw new Error("S3 returned no body");
        return await object.Body.transformToString("utf-8");
      } catch (cause) {
        if (isMissing(cause)) {
          throw new ClaimedPayloadError(
            "missing",
            locationOf(claim.key),
            `The payload of job "${owner.jobName}" (${owner.jobId}) is gone from ${locationOf(claim.key)} (deleted, or expired by a lifecycle rule)`,
            { cause },
          );
        }
        throw new TransientJobError(
          `Could not read the payload of job "${owner.jobName}" (${owner.jobId}) from ${locationOf(claim.key)}: ${messageOf(cause)}`,
          { cause },
        );
      }
    },
    ...(deleteAfterSuccess && {
      async release(claim: PayloadClaim, owner: ClaimOwner) {
        check(claim, owner);
        await client.send(new DeleteObjectCommand({ Bucket: bucket, Key: claim.key }));
      },
    }),
  };
}

// SDK error classes may come from another copy of the SDK: match names, with endsWith (DESIGN §9).
function isMissing(error: unknown): boolean {
  if (typeof error !== "object" || error === null) return false;
  const { name, $metadata } = error as { name?: unknown; $metadata?: { httpStatusCode?: number } };
  return (
    (typeof name === "string" && name.endsWith("NoSuchKey")) || $metadata?.httpStatusCode === 404
  );
}

function messageOf(error: unknown): string {
  return error instanceof Error ? error.message || error.name : String(error);
}
