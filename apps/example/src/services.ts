import type { AppStore } from "./store/app-store.js";
import type { ImageStore } from "./store/image-store.js";

/** What job handlers get as `ctx.services`. */
export interface AppServices {
  /** Users, outbox, accounts, processed transactions, images: the DynamoDB table. */
  readonly store: AppStore;
  /** Uploads and thumbnails: the S3 bucket. */
  readonly images: ImageStore;
  /** Share of image jobs that fail transiently, to show retries. */
  readonly imageFailureRate: number;
  readonly random: () => number;
}

declare module "@glasswork/core" {
  interface Register {
    services: AppServices;
  }
}
