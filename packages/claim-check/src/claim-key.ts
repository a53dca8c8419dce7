/** The default `keyPrefix` of `s3ClaimCheck`. */
export const DEFAULT_KEY_PREFIX = "glasswork/claims/";

// Segments that start with a dot (".", "..") are refused: some HTTP layers normalise them.
const PREFIX = /^(?:[A-Za-z0-9_-][A-Za-z0-9._-]*\/)*$/;

/** Throws unless `prefix` is empty or `/`-terminated segments of letters, digits, `._-`, none starting with a dot. */
export function checkKeyPrefix(prefix: string): void {
  if (!PREFIX.test(prefix)) {
    throw new TypeError(
      `keyPrefix must be empty or end with "/" and use A-Z a-z 0-9 . _ - in segments that do not start with a dot, got ${JSON.stringify(prefix)}`,
    );
  }
}

/**
 * The object key of a payload: the prefix, the job id (every character but `A-Z a-z 0-9 _ -`
 * percent-encoded, so that no id can add a path segment such as `..`), then the payload's
 * SHA-256. The digest keeps two jobs enqueued under the same id with different payloads (a
 * `unique` key) from overwriting each other's object.
 *
 * @example
 * claimKey("glasswork/claims/", "order-42", "<sha256>"); // "glasswork/claims/order-42/<sha256>.json"
 */
export function claimKey(prefix: string, jobId: string, sha256: string): string {
  const id = encodeURIComponent(jobId).replace(
    /[.!~*'()]/g,
    (c) => `%${c.charCodeAt(0).toString(16).toUpperCase()}`,
  );
  return `${prefix}${id}/${sha256}.json`;
}
