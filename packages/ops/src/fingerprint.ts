import { createHash } from "node:crypto";

/** What a dead letter's fingerprint is made of. */
export interface FingerprintParts {
  readonly jobName: string | undefined;
  readonly reason: string | undefined;
  readonly error: string | undefined;
}

const MAX_NORMALISED_LENGTH = 200;

/**
 * An error message with what varies between occurrences of the same failure replaced by
 * placeholders: UUIDs, long hex ids, ISO dates, quoted values and numbers. `"user u_1 not found
 * after 3 tries"` and `"user u_2 not found after 5 tries"` become the same text.
 *
 * @example
 * normaliseErrorMessage('timeout after 3012 ms for "order-7"'); // 'timeout after <n> ms for <str>'
 */
export function normaliseErrorMessage(message: string): string {
  return message
    .replace(/\b[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}\b/gi, "<uuid>")
    .replace(/\b\d{4}-\d{2}-\d{2}T[\d:.]+(?:Z|[+-]\d{2}:?\d{2})?/g, "<date>")
    .replace(/"[^"]*"|'[^']*'|`[^`]*`/g, "<str>")
    .replace(/\b(?=[0-9a-f]*\d)[0-9a-f]{12,}\b/gi, "<hex>")
    .replace(/\b[a-z]+_[a-z0-9]*\d[a-z0-9]*\b/gi, "<id>")
    .replace(/-?\d+(?:\.\d+)?/g, "<n>")
    .replace(/\s+/g, " ")
    .trim()
    .slice(0, MAX_NORMALISED_LENGTH);
}

/**
 * A short stable id for a kind of failure: job name + reason + normalised error message.
 * Dead letters with the same fingerprint failed the same way and are triaged together.
 *
 * @example
 * fingerprintOf({ jobName: "send-email", reason: "permanent", error: "user u_1 not found" });
 */
export function fingerprintOf(parts: FingerprintParts): string {
  const text = [
    parts.jobName ?? "",
    parts.reason ?? "",
    normaliseErrorMessage(parts.error ?? ""),
  ].join("\u0000");
  return createHash("sha256").update(text).digest("hex").slice(0, 12);
}
