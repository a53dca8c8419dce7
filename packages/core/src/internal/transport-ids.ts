import { InvalidEnqueueOptionsError } from "../errors.js";

const TRANSPORT_ID = /^[\x21-\x7e]{1,128}$/;
const MAX_TRANSPORT_ID_LENGTH = 128;

/**
 * Throws unless `value` can travel as an SQS message group or deduplication id: 1-128 printable
 * ASCII characters without spaces.
 */
export function checkTransportId(jobName: string, option: "id" | "group", value: unknown): void {
  if (typeof value !== "string" || !TRANSPORT_ID.test(value)) {
    const what = option === "id" ? "job id" : "group id";
    throw new InvalidEnqueueOptionsError(
      jobName,
      option,
      `the ${what} ${JSON.stringify(value)} must be 1-128 printable ASCII characters without spaces (hash longer keys)`,
    );
  }
}

/**
 * The FIFO deduplication id of a job: its id namespaced by its job name, so that two jobs whose
 * `unique.key` agree are not taken for copies of each other. `/` cannot occur in a job name, so
 * `a:b` + `c` and `a` + `b:c` stay apart. Longer than SQS's 128 characters, it is hashed.
 */
export async function deduplicationIdOf(jobName: string, jobId: string): Promise<string> {
  const namespaced = `${jobName}/${jobId}`;
  if (namespaced.length <= MAX_TRANSPORT_ID_LENGTH) return namespaced;
  const digest = await crypto.subtle.digest("SHA-256", new TextEncoder().encode(namespaced));
  return `sha256:${[...new Uint8Array(digest)].map((b) => b.toString(16).padStart(2, "0")).join("")}`;
}
