import { defineJob, PermanentJobError, TransientJobError } from "@glasswork/core";
import * as v from "valibot";
import { makeThumbnail, thumbnailKey } from "./make-thumbnail.js";
import { StorageKey } from "./storage-key.js";

/**
 * Makes a thumbnail of an uploaded image. The payload is the upload's S3 key, never the image:
 * the job reads the bytes from S3 and writes the thumbnail back, then records it in DynamoDB.
 * Every step is an overwrite with the same result, so a retry or a redelivery repeats nothing
 * that shows.
 */
export const processImage = defineJob({
  name: "process-image",
  schema: v.object({ storageKey: StorageKey }),
  retry: { maxAttempts: 8, backoff: { base: 1, max: "30s" } },
  handler: async ({ storageKey }, ctx) => {
    const { images, store } = ctx.services;
    const upload = await images.get(storageKey);
    if (!upload) throw new PermanentJobError(`no upload at s3://${images.bucket}/${storageKey}`);
    // The image service is flaky: a share of calls fails transiently and is retried with backoff.
    if (ctx.services.random() < ctx.services.imageFailureRate) {
      throw new TransientJobError(`image service unavailable for ${storageKey}`);
    }
    const thumbnail = makeThumbnail(storageKey, upload.bytes);
    const key = thumbnailKey(storageKey);
    await images.put(key, thumbnail.bytes, thumbnail.contentType);
    await store.saveImage({
      storageKey,
      thumbnailKey: key,
      attempts: ctx.attempt,
      format: thumbnail.format,
      bytes: upload.bytes.length,
    });
    ctx.logger.info({ storageKey, thumbnailKey: key }, "thumbnail made");
  },
});
