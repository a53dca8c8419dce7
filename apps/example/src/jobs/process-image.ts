import { defineJob, TransientJobError } from "@glasswork/core";
import * as v from "valibot";
import { StorageKey } from "./storage-key.js";

/** Makes a thumbnail of an uploaded image, given its storage key (never the image itself). */
export const processImage = defineJob({
  name: "process-image",
  schema: v.object({ storageKey: StorageKey }),
  retry: { maxAttempts: 8, backoff: { base: 1, max: "30s" } },
  handler: async ({ storageKey }, ctx) => {
    // The image service is flaky: a share of calls fails transiently and is retried with backoff.
    if (ctx.services.random() < ctx.services.imageFailureRate) {
      throw new TransientJobError(`image service unavailable for ${storageKey}`);
    }
    ctx.services.db.saveThumbnail(
      storageKey,
      storageKey.replace(/(\.\w+)?$/, ".thumb.webp"),
      ctx.attempt,
    );
  },
});
