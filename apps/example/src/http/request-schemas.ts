import * as v from "valibot";
import { StorageKey } from "../jobs/storage-key.js";

const ID_MESSAGE = "must be 1 to 64 letters, digits, _ or -";

/** A path id (user, account, newsletter). */
export const Id = v.pipe(v.string(ID_MESSAGE), v.regex(/^[\w-]{1,64}$/, ID_MESSAGE));

/** `?limit=`: a whole number 1..max, `fallback` when absent. */
export function limit(max: number, fallback: number) {
  const message = `must be a whole number from 1 to ${max}`;
  return v.optional(
    v.pipe(
      v.string(message),
      v.regex(/^\d{1,6}$/, message),
      v.transform(Number),
      v.minValue(1, message),
      v.maxValue(max, message),
    ),
    String(fallback),
  );
}

/** Only the query parameters a route reads: any other is refused, not ignored. */
const query = <const E extends v.ObjectEntries>(entries: E) =>
  v.strictObject(entries, "unknown query parameter");

/** `:id` routes. */
export const IdParams = v.strictObject({ id: Id });
/** `GET /images/:key`. */
export const ImageParams = v.strictObject({ key: StorageKey });
/** `GET /outbox`. */
export const OutboxQuery = query({
  kind: v.optional(v.picklist(["welcome", "newsletter"], 'must be "welcome" or "newsletter"')),
  limit: limit(100, 20),
});
/** `GET /jobs/dead-letters`. */
export const DeadLettersQuery = query({ limit: limit(100, 50) });

/** `POST /users`. */
export const NewUser = v.object({
  email: v.pipe(v.string(), v.email()),
  name: v.pipe(v.string(), v.minLength(1), v.maxLength(100)),
});
/** `POST /accounts/:id/credit`. */
export const Credit = v.object({
  amountCents: v.pipe(v.number(), v.integer(), v.minValue(1)),
  transactionId: v.optional(v.pipe(v.string(), v.regex(/^[\w-]{1,64}$/))),
});
/** `POST /images` with JSON: the key of an object already uploaded. */
export const Image = v.object({ storageKey: StorageKey });

const UPLOAD_TYPES = {
  "image/png": "png",
  "image/jpeg": "jpg",
  "image/gif": "gif",
  "image/webp": "webp",
} as const;
/** `POST /images` with bytes: the content type, mapped to the extension of the upload's key. */
export const UploadContentType = v.pipe(
  v.picklist(
    Object.keys(UPLOAD_TYPES) as (keyof typeof UPLOAD_TYPES)[],
    `content-type must be application/json (a storage key) or one of ${Object.keys(UPLOAD_TYPES).join(", ")} (an upload)`,
  ),
  v.transform((type) => UPLOAD_TYPES[type]),
);
