import { type AnyJobDefinition, checkJobName } from "../define-job.js";
import type { EnqueueItem } from "../enqueue-options.js";
import { InvalidEnqueueOptionsError, InvalidJobPayloadError } from "../errors.js";
import type { EnqueueingJob } from "../producer-hooks.js";
import { validatePayload } from "../validate-payload.js";
import { FORBIDDEN_KEYS, findNonJsonValues } from "./json-value.js";
import { resolveDelay } from "./resolve-delay.js";
import { resolveExpiry } from "./resolve-expiry.js";
import { checkTransportId } from "./transport-ids.js";

/** A job that passed every check and waits for the hooks and the encoder. */
export interface PreparedJob {
  /** Position in the caller's items. */
  readonly index: number;
  readonly job: AnyJobDefinition;
  readonly enqueueing: EnqueueingJob;
  readonly groupId: string;
  readonly enqueuedAt: string;
}

/** What {@link prepareJob} gives: a job to send, or why it cannot be sent. */
export type PrepareResult =
  | { readonly ok: true; readonly value: PreparedJob }
  | { readonly ok: false; readonly error: Error };

/** The moment and transport limit every item of one `enqueue…` call is prepared against. */
export interface PrepareContext {
  readonly now: number;
  readonly enqueuedAt: string;
  readonly maxDelaySeconds: number;
}

/**
 * Checks one item (job name, JSON-safe payload, schema, meta, delay, ids) and works out what is
 * sent. Never throws: a problem becomes the item's error.
 */
export async function prepareJob(
  item: EnqueueItem,
  index: number,
  context: PrepareContext,
): Promise<PrepareResult> {
  const { job, payload, options = {} } = item;
  try {
    checkJobName(job.name);
    const nonJson = findNonJsonValues(payload);
    if (nonJson.length > 0)
      return { ok: false, error: new InvalidJobPayloadError(job.name, nonJson) };
    const pending = validatePayload(job, payload);
    // Synchronous schemas (valibot's) skip a microtask per item. Any thenable is awaited, not
    // only this realm's Promise.
    const validated = "then" in pending ? await pending : pending;
    if (!validated.ok) return validated;

    for (const [key, value] of Object.entries(options.meta ?? {})) {
      if (FORBIDDEN_KEYS.has(key) || typeof value !== "string") {
        throw new InvalidEnqueueOptionsError(
          job.name,
          "meta",
          `meta.${key} must be a string under an allowed key`,
        );
      }
    }
    const delay = resolveDelay(job.name, options, context.now, context.maxDelaySeconds);
    const dueAt = delay.runAt?.getTime() ?? context.now + delay.delaySeconds * 1000;
    const expiresAt = resolveExpiry(
      job.name,
      options.expiresIn ?? job.expiresAfter,
      context.now,
      dueAt,
    );
    const jobId = options.id ?? job.unique?.key(validated.value) ?? crypto.randomUUID();
    // The group becomes the message group id: check SQS's rules here rather than fail at the
    // transport. Job ids keep the same rules, so one always fits where a transport id goes.
    checkTransportId(job.name, "id", jobId);
    const groupId = job.group?.(validated.value) ?? job.name;
    checkTransportId(job.name, "group", groupId);
    const enqueueing: EnqueueingJob = {
      jobName: job.name,
      jobId,
      queue: options.queue ?? job.queue,
      payload,
      delaySeconds: delay.delaySeconds,
      runAt: delay.runAt,
      ...(expiresAt && { expiresAt }),
      meta: { ...options.meta },
    };
    return { ok: true, value: { index, job, enqueueing, groupId, enqueuedAt: context.enqueuedAt } };
  } catch (error) {
    return { ok: false, error: error instanceof Error ? error : new Error(String(error)) };
  }
}
