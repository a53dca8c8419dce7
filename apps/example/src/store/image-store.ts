import {
  GetObjectCommand,
  HeadObjectCommand,
  PutObjectCommand,
  type S3Client,
} from "@aws-sdk/client-s3";
import { StoreUnavailableError } from "./store-errors.js";

/** Where uploads go (`uploads/…`, the API writes, the image job reads) and thumbnails (`thumbnails/…`, the job writes). */
export const UPLOADS_PREFIX = "uploads/";
/** See {@link UPLOADS_PREFIX}. */
export const THUMBNAILS_PREFIX = "thumbnails/";

/** An object read from the bucket. */
export interface StoredObject {
  readonly bytes: Uint8Array;
  readonly contentType: string | undefined;
}

/**
 * The images bucket on S3. The job gets a key, never the bytes ("pass the S3 key"). A missing
 * object resolves `undefined`; any other failure is a {@link StoreUnavailableError} (transient).
 */
export class ImageStore {
  constructor(
    private readonly client: S3Client,
    readonly bucket: string,
  ) {}

  async put(key: string, bytes: Uint8Array, contentType: string): Promise<void> {
    await this.call("PutObject", key, () =>
      this.client.send(
        new PutObjectCommand({
          Bucket: this.bucket,
          Key: key,
          Body: bytes,
          ContentType: contentType,
        }),
      ),
    );
  }

  /** Whether an object exists at `key`. */
  async exists(key: string): Promise<boolean> {
    return (
      (await this.call("HeadObject", key, () =>
        this.client.send(new HeadObjectCommand({ Bucket: this.bucket, Key: key })),
      )) !== undefined
    );
  }

  async get(key: string): Promise<StoredObject | undefined> {
    return this.call("GetObject", key, async () => {
      const out = await this.client.send(new GetObjectCommand({ Bucket: this.bucket, Key: key }));
      return {
        bytes: (await out.Body?.transformToByteArray()) ?? new Uint8Array(),
        contentType: out.ContentType,
      };
    });
  }

  private async call<T>(
    operation: string,
    key: string,
    send: () => Promise<T>,
  ): Promise<T | undefined> {
    try {
      return await send();
    } catch (error) {
      const name = (error as Error).name ?? "";
      if (name.endsWith("NoSuchKey") || name.endsWith("NotFound")) return undefined;
      throw new StoreUnavailableError(`S3 ${operation} s3://${this.bucket}/${key}`, error);
    }
  }
}
