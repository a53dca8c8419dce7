import { type AnyJobDefinition, checkJobName, type JobInput } from "./define-job.js";
import { type Duration, toSeconds } from "./duration.js";
import { encodeEnvelope, JOB_NAME_ATTRIBUTE, type JobEnvelope } from "./envelope.js";
import { EnvelopeSigner, SIGNATURE_ATTRIBUTE, type SigningKey } from "./envelope-signer.js";
import {
  EnqueueBatchError,
  type EnqueueItemResult,
  InvalidJobPayloadError,
  isJobError,
  PayloadTooLargeError,
  type QueueDriverError,
} from "./errors.js";
import { FORBIDDEN_KEYS, findNonJsonValues } from "./internal/json-value.js";
import { sleep } from "./internal/sleep.js";
import { createJsonLogger, type Logger } from "./logger.js";
import type { CancelResult, LongDelayScheduler } from "./long-delay-scheduler.js";
import { MAX_MESSAGE_BYTES, measureMessageBytes } from "./message-size.js";
import type { EnqueuedJob, EnqueueEvent, EnqueueingJob, ProducerHooks } from "./producer-hooks.js";
import type { OutgoingMessage, QueueDriver, SendResult } from "./queue-driver.js";
import { validatePayload } from "./validate-payload.js";

/** Per-call options of the `enqueue…` methods: a `delay` or an `at`, not both. */
export type EnqueueOptions = EnqueueCommonOptions &
  (
    | {
        /** Run after this long. `enqueueIn` sets it. */
        delay?: Duration;
        at?: never;
      }
    | {
        /** Run at this time. `enqueueAt` sets it. */
        at?: Date;
        delay?: never;
      }
  );

/** The options every `enqueue…` method takes. */
export interface EnqueueCommonOptions {
  /** Override the job's queue. */
  queue?: string;
  /** Job id; default: the job's `unique.key`, else a random UUID. */
  id?: string;
  /** Extra metadata carried in the envelope's `meta`. */
  meta?: Readonly<Record<string, string>>;
}

/** One item of {@link JobService.enqueueBatch}. */
export interface EnqueueItem<J extends AnyJobDefinition = AnyJobDefinition> {
  job: J;
  payload: JobInput<J>;
  options?: EnqueueOptions;
}

/**
 * Checks each item's payload against its own job, in arrays that mix jobs too: an element whose
 * job is `J` must carry a `JobInput<J>`.
 */
export type CheckedItems<Items extends readonly EnqueueItem[]> = {
  readonly [K in keyof Items]: Items[K] extends infer Item
    ? // Distributes over a union of item shapes, so each is checked against its own job.
      Item extends { job: infer J extends AnyJobDefinition }
      ? EnqueueItem<J>
      : never
    : never;
};

/** Options of {@link JobService}. */
export interface JobServiceOptions {
  /**
   * Largest encoded message, in bytes (body plus attributes, as SQS counts). Default: the
   * driver's limit (262,144 = 256 KiB unless the driver is configured otherwise); at most
   * 1,048,576, and never above the driver's limit.
   */
  maxMessageBytes?: number;
  /** Hooks around every send, e.g. from `@glasswork/otel`. */
  hooks?: readonly ProducerHooks[];
  /** Where hook failures are logged. Default: JSON lines on stdout, warnings and errors only. */
  logger?: Logger;
  /** How many times to re-send messages that failed for a transient reason. Default 3. */
  sendRetries?: number;
  /** Clock, for tests. Default `Date.now`. */
  now?: () => number;
  /**
   * Sign every message (HMAC-SHA256 in the `glasswork.signature` attribute) so that a worker
   * configured with the same key runs only jobs sent by holders of the key.
   */
  signingKey?: SigningKey;
  /**
   * Where jobs due later than the driver's `maxDelaySeconds` go instead of being relayed through
   * the queue (e.g. `eventBridgeScheduler()` from `@glasswork/scheduler-eventbridge`); it makes
   * them cancellable with {@link JobService.cancel}.
   */
  longDelays?: LongDelayScheduler;
}

interface PreparedJob {
  readonly index: number;
  readonly job: AnyJobDefinition;
  readonly enqueueing: EnqueueingJob;
  readonly groupId: string;
  readonly enqueuedAt: string;
}

type Prepared = { ok: true; value: PreparedJob } | { ok: false; error: Error };

/**
 * Validates, encodes and sends jobs through a {@link QueueDriver}.
 *
 * @example
 * const jobs = new JobService(new SQSQueueDriver({ queues: { default: url } }));
 * await jobs.enqueue(sendWelcomeEmail, { userId: "u_1" });
 * await jobs.enqueueIn(sendReminder, { userId: "u_1" }, "3d");
 * await jobs.enqueueBatch(users.map((u) => ({ job: sendNewsletter, payload: { userId: u.id } })));
 */
export class JobService {
  readonly #driver: QueueDriver;
  readonly #hooks: readonly ProducerHooks[];
  readonly #logger: Logger;
  readonly #maxMessageBytes: number;
  readonly #sendRetries: number;
  readonly #now: () => number;
  readonly #signer: EnvelopeSigner | undefined;
  readonly #longDelays: LongDelayScheduler | undefined;

  constructor(driver: QueueDriver, options: JobServiceOptions = {}) {
    const limit = options.maxMessageBytes ?? driver.maxMessageBytes;
    if (!Number.isInteger(limit) || limit < 1_024 || limit > MAX_MESSAGE_BYTES) {
      throw new RangeError(
        `maxMessageBytes must be an integer from 1024 to ${MAX_MESSAGE_BYTES}, got ${limit}`,
      );
    }
    this.#driver = driver;
    this.#hooks = options.hooks ?? [];
    this.#logger = options.logger ?? createJsonLogger({ level: "warn" });
    this.#maxMessageBytes = Math.min(limit, driver.maxMessageBytes);
    this.#sendRetries = options.sendRetries ?? 3;
    this.#now = options.now ?? Date.now;
    this.#signer = options.signingKey ? new EnvelopeSigner([options.signingKey]) : undefined;
    this.#longDelays = options.longDelays;
  }

  /** The size limit in force, in bytes. */
  get maxMessageBytes(): number {
    return this.#maxMessageBytes;
  }

  /**
   * Enqueues one job. Throws `InvalidJobPayloadError`, `PayloadTooLargeError`, or the
   * transport's error.
   */
  async enqueue<J extends AnyJobDefinition>(
    job: J,
    payload: JobInput<J>,
    options?: EnqueueOptions,
  ): Promise<EnqueuedJob> {
    const [result] = await this.#enqueueAll("enqueue", [
      { job, payload, ...(options && { options }) },
    ]);
    if (!result) throw new Error("unreachable: one result per item");
    if (!result.ok) throw result.error;
    return result.value;
  }

  /** Enqueues a job to run after `delay` (`"10m"`, `"3d"`, or seconds). */
  enqueueIn<J extends AnyJobDefinition>(
    job: J,
    payload: JobInput<J>,
    delay: Duration,
    options?: EnqueueCommonOptions,
  ): Promise<EnqueuedJob> {
    return this.enqueue(job, payload, { ...options, delay });
  }

  /** Enqueues a job to run at `at` (at once if that time has passed). */
  enqueueAt<J extends AnyJobDefinition>(
    job: J,
    payload: JobInput<J>,
    at: Date,
    options?: EnqueueCommonOptions,
  ): Promise<EnqueuedJob> {
    return this.enqueue(job, payload, { ...options, at });
  }

  /**
   * Enqueues many jobs in as few transport requests as possible (SQS: 10 per request).
   * Resolves with one entry per item, in input order. If any item could not be sent — invalid,
   * too large, or refused by the transport after retries — it throws an `EnqueueBatchError`
   * whose `results` say which items were sent and why the others were not.
   */
  async enqueueBatch<Items extends readonly EnqueueItem[]>(
    items: Items & CheckedItems<Items>,
  ): Promise<EnqueuedJob[]> {
    const results = await this.#enqueueAll("enqueueBatch", items);
    if (results.some((r) => !r.ok)) throw new EnqueueBatchError(results);
    return results.map((r) => (r as { value: EnqueuedJob }).value);
  }

  async #enqueueAll(
    operation: EnqueueEvent["operation"],
    items: readonly EnqueueItem[],
  ): Promise<EnqueueItemResult<EnqueuedJob>[]> {
    const now = this.#now();
    const enqueuedAt = new Date(now).toISOString();
    const prepared = await Promise.all(
      items.map((item, index) => this.#prepare(item, index, now, enqueuedAt)),
    );
    // Every slot is filled below: invalid items now, the others once the transport answered.
    const results = new Array<EnqueueItemResult<EnqueuedJob>>(items.length);
    const ready: PreparedJob[] = [];
    prepared.forEach((p, index) => {
      if (p.ok) ready.push(p.value);
      else results[index] = { ok: false, index, error: p.error };
    });
    if (ready.length === 0) return results;

    const event: EnqueueEvent = { operation, jobs: ready.map((p) => p.enqueueing) };
    for (const hooks of this.#hooks)
      await this.#runHook("onEnqueue", () => hooks.onEnqueue?.(event));

    const toSend: { prepared: PreparedJob; message: OutgoingMessage }[] = [];
    const encoded = await Promise.all(ready.map((p) => this.#encode(p)));
    ready.forEach((p, i) => {
      const message = encoded[i] as OutgoingMessage | Error;
      if (message instanceof Error)
        results[p.index] = { ok: false, index: p.index, error: message };
      else toSend.push({ prepared: p, message });
    });
    const sendResults = await this.#dispatch(toSend);
    toSend.forEach(({ prepared: p }, i) => {
      const sent = sendResults[i];
      const { index, enqueueing } = p;
      results[index] = sent?.ok
        ? {
            ok: true,
            index,
            value: {
              jobId: enqueueing.jobId,
              jobName: enqueueing.jobName,
              queue: enqueueing.queue,
              messageId: sent.messageId,
              delaySeconds: enqueueing.delaySeconds,
              runAt: enqueueing.runAt,
            },
          }
        : { ok: false, index, error: sent?.error ?? new Error("the driver returned no result") };
    });

    const hookResults = ready.map((p) => results[p.index] as EnqueueItemResult<EnqueuedJob>);
    for (const hooks of [...this.#hooks].reverse()) {
      await this.#runHook("onEnqueued", () => hooks.onEnqueued?.(event, hookResults));
    }
    return results;
  }

  async #prepare(
    item: EnqueueItem,
    index: number,
    now: number,
    enqueuedAt: string,
  ): Promise<Prepared> {
    const { job, payload, options = {} } = item;
    try {
      checkJobName(job.name);
      const nonJson = findNonJsonValues(payload);
      if (nonJson.length > 0)
        return { ok: false, error: new InvalidJobPayloadError(job.name, nonJson) };
      const pending = validatePayload(job, payload);
      // Synchronous schemas (valibot's) skip a microtask per item.
      const validated = pending instanceof Promise ? await pending : pending;
      if (!validated.ok) return validated;

      for (const [key, value] of Object.entries(options.meta ?? {})) {
        if (FORBIDDEN_KEYS.has(key) || typeof value !== "string") {
          throw new TypeError(
            `Job "${job.name}": meta.${key} must be a string under an allowed key`,
          );
        }
      }
      const delay = this.#delay(options, now);
      const jobId = options.id ?? job.unique?.key(validated.value) ?? crypto.randomUUID();
      // The id doubles as the FIFO deduplication id, the group as the message group id:
      // check SQS's rules here rather than fail at the transport.
      checkTransportId(job.name, "job id", jobId);
      const groupId = job.group?.(validated.value) ?? job.name;
      checkTransportId(job.name, "group id", groupId);
      const enqueueing: EnqueueingJob = {
        jobName: job.name,
        jobId,
        queue: options.queue ?? job.queue,
        payload,
        delaySeconds: delay.delaySeconds,
        runAt: delay.runAt,
        meta: { ...options.meta },
      };
      return {
        ok: true,
        value: {
          index,
          job,
          enqueueing,
          groupId,
          enqueuedAt,
        },
      };
    } catch (error) {
      return { ok: false, error: error instanceof Error ? error : new Error(String(error)) };
    }
  }

  #delay(options: EnqueueOptions, now: number): { delaySeconds: number; runAt: Date | undefined } {
    const seconds =
      options.at !== undefined
        ? Math.max(0, (options.at.getTime() - now) / 1000)
        : options.delay !== undefined
          ? toSeconds(options.delay)
          : 0;
    if (Number.isNaN(seconds)) throw new RangeError("enqueueAt needs a valid Date");
    // Never early: the transport counts whole seconds.
    const whole = Math.ceil(seconds);
    const max = this.#driver.maxDelaySeconds;
    if (whole <= max) return { delaySeconds: whole, runAt: undefined };
    return { delaySeconds: max, runAt: new Date(now + seconds * 1000) };
  }

  async #encode(p: PreparedJob): Promise<OutgoingMessage | Error> {
    const { enqueueing } = p;
    const envelope: JobEnvelope = {
      v: 1,
      id: enqueueing.jobId,
      name: enqueueing.jobName,
      payload: enqueueing.payload,
      enqueuedAt: p.enqueuedAt,
      ...(enqueueing.runAt && { runAt: enqueueing.runAt.toISOString() }),
      ...(Object.keys(enqueueing.meta).length > 0 && { meta: enqueueing.meta }),
    };
    const body = encodeEnvelope(envelope);
    const attributes: Record<string, string> = { [JOB_NAME_ATTRIBUTE]: enqueueing.jobName };
    if (this.#signer) attributes[SIGNATURE_ATTRIBUTE] = await this.#signer.sign(body);
    const size = measureMessageBytes(body, attributes);
    if (size > this.#maxMessageBytes)
      return new PayloadTooLargeError(enqueueing.jobName, size, this.#maxMessageBytes);
    return {
      queue: enqueueing.queue,
      body,
      attributes,
      ...(enqueueing.delaySeconds > 0 && { delaySeconds: enqueueing.delaySeconds }),
      groupId: p.groupId,
      deduplicationId: enqueueing.jobId,
    };
  }

  /**
   * Cancels a job that waits in the `longDelays` scheduler. Only jobs due later than the
   * driver's `maxDelaySeconds` (SQS: 15 minutes) wait there: a job with a shorter delay is already
   * in the queue, cannot be cancelled, and gives `"not-found"`. Throws without `longDelays`.
   */
  async cancel(jobId: string): Promise<CancelResult> {
    if (!this.#longDelays) {
      throw new TypeError("jobs.cancel needs the longDelays option of JobService");
    }
    return this.#longDelays.cancel(jobId);
  }

  // Jobs due beyond the driver's maximum delay go to the long-delay scheduler, when there is one.
  async #dispatch(
    items: readonly { prepared: PreparedJob; message: OutgoingMessage }[],
  ): Promise<SendResult[]> {
    const scheduler = this.#longDelays;
    const later = scheduler ? items.filter((s) => s.prepared.enqueueing.runAt) : [];
    if (!scheduler || later.length === 0) {
      return this.#sendWithRetries(items.map((s) => s.message));
    }
    const now = items.filter((s) => !s.prepared.enqueueing.runAt);
    const [sent, scheduled] = await Promise.all([
      this.#sendWithRetries(now.map((s) => s.message)),
      scheduler
        .schedule(
          later.map(({ prepared, message: { delaySeconds: _native, ...message } }) => ({
            jobId: prepared.enqueueing.jobId,
            runAt: prepared.enqueueing.runAt as Date,
            message,
          })),
        )
        .catch((error: unknown) =>
          later.map((): SendResult => ({ ok: false, error: error as Error, retryable: false })),
        ),
    ]);
    const results = new Map<(typeof items)[number], SendResult | undefined>();
    for (const [i, s] of now.entries()) results.set(s, sent[i]);
    for (const [i, s] of later.entries()) results.set(s, scheduled[i]);
    return items.map(
      (s) => results.get(s) ?? { ok: false, error: new Error("no result"), retryable: false },
    );
  }

  async #sendWithRetries(messages: readonly OutgoingMessage[]): Promise<SendResult[]> {
    if (messages.length === 0) return [];
    const results = await this.#send(messages);
    for (let retry = 1; retry <= this.#sendRetries; retry++) {
      const pending = results.flatMap((r, i) => (!r.ok && r.retryable ? [i] : []));
      if (pending.length === 0) break;
      // Full jitter from 100 ms, doubling: throttled senders back off instead of piling on.
      await sleep(Math.random() * 100 * 2 ** retry);
      const again = await this.#send(pending.map((i) => messages[i] as OutgoingMessage));
      pending.forEach((i, j) => {
        const result = again[j];
        if (result) results[i] = result;
      });
    }
    return results;
  }

  // A driver rejects only when it could attempt nothing; then every message failed alike.
  async #send(messages: readonly OutgoingMessage[]): Promise<SendResult[]> {
    try {
      return await this.#driver.send(messages);
    } catch (error) {
      const failure: SendResult = {
        ok: false,
        error: error instanceof Error ? error : new Error(String(error)),
        retryable: isJobError(error, "QUEUE_DRIVER") && (error as QueueDriverError).retryable,
      };
      return messages.map(() => failure);
    }
  }

  async #runHook(name: string, run: () => void | Promise<void>): Promise<void> {
    try {
      await run();
    } catch (error) {
      this.#logger.error({ err: error, hook: name }, `producer hook ${name} failed`);
    }
  }
}

const TRANSPORT_ID = /^[\x21-\x7e]{1,128}$/;

function checkTransportId(jobName: string, what: string, value: unknown): void {
  if (typeof value !== "string" || !TRANSPORT_ID.test(value)) {
    throw new TypeError(
      `Job "${jobName}": the ${what} ${JSON.stringify(value)} must be 1-128 printable ASCII characters without spaces (hash longer keys)`,
    );
  }
}
