import type { AnyJobDefinition, JobInput } from "./define-job.js";
import type { Duration } from "./duration.js";
import type {
  CheckedItems,
  EnqueueCommonOptions,
  EnqueueItem,
  EnqueueOptions,
} from "./enqueue-options.js";
import { EnvelopeSigner, type SigningKey } from "./envelope-signer.js";
import { EnqueueBatchError, type EnqueueItemResult, QueueDriverError } from "./errors.js";
import { dispatchJobs } from "./internal/dispatch-jobs.js";
import { encodeJob } from "./internal/encode-job.js";
import { type PreparedJob, prepareJob } from "./internal/prepare-job.js";
import { type HookRun, runHooks } from "./internal/run-hooks.js";
import { createJsonLogger, type Logger } from "./logger.js";
import type { CancelResult, LongDelayScheduler } from "./long-delay-scheduler.js";
import { MAX_MESSAGE_BYTES } from "./message-size.js";
import type { PayloadStore } from "./payload-store.js";
import type { EnqueuedJob, EnqueueEvent, ProducerHooks } from "./producer-hooks.js";
import type { OutgoingMessage, QueueDriver } from "./queue-driver.js";

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
  /**
   * Clock, for tests. Default: the driver's `clock` when it has one (the mock driver's
   * `ManualClock`), else `Date.now`, so that delays and `runAt` follow the time the queue keeps.
   */
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
  /**
   * Offload payloads of messages that would be larger than the store's threshold (default: the
   * size limit) to this store, e.g. `s3ClaimCheck()` from `@glasswork/claim-check`; the message
   * then carries a reference. The worker needs the same store.
   */
  payloadStore?: PayloadStore;
}

/**
 * Validates, encodes and sends jobs through a {@link QueueDriver}.
 *
 * @example
 * // given: url, sendWelcomeEmail, sendReminder, sendNewsletter, users, SQSQueueDriver
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
  readonly #payloadStore: PayloadStore | undefined;

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
    const { clock } = driver;
    this.#now = options.now ?? (clock ? () => clock.now() : Date.now);
    this.#signer = options.signingKey ? new EnvelopeSigner([options.signingKey]) : undefined;
    this.#longDelays = options.longDelays;
    this.#payloadStore = options.payloadStore;
  }

  /** The size limit in force, in bytes. */
  get maxMessageBytes(): number {
    return this.#maxMessageBytes;
  }

  /**
   * Enqueues one job. Throws `InvalidJobPayloadError`, `InvalidEnqueueOptionsError`,
   * `PayloadTooLargeError`, or the transport's error.
   */
  async enqueue<J extends AnyJobDefinition>(
    job: J,
    payload: JobInput<J>,
    options?: EnqueueOptions,
  ): Promise<EnqueuedJob> {
    const [result] = await this.#enqueueAll("enqueue", [
      { job, payload, ...(options && { options }) },
    ]);
    if (result?.ok) return result.value;
    throw result?.error;
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
   * too large, a delay out of range, or refused by the transport after retries — it throws an
   * `EnqueueBatchError` whose `results` say which items were sent and why the others were not.
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
    const context = {
      now,
      enqueuedAt: new Date(now).toISOString(),
      maxDelaySeconds: this.#driver.maxDelaySeconds,
    };
    const prepared = await Promise.all(items.map((item, i) => prepareJob(item, i, context)));
    // Every slot is filled below: invalid items now, the others once the transport answered.
    const results = new Array<EnqueueItemResult<EnqueuedJob>>(items.length);
    const ready: PreparedJob[] = [];
    prepared.forEach((p, index) => {
      if (p.ok) ready.push(p.value);
      else results[index] = { ok: false, index, error: p.error };
    });
    if (ready.length === 0) return results;

    const event: EnqueueEvent = { operation, jobs: ready.map((p) => p.enqueueing) };
    await runHooks(this.#hooks, this.#hookRun("onEnqueue", "in-order"), (h) =>
      h.onEnqueue?.(event),
    );

    const toSend: { prepared: PreparedJob; message: OutgoingMessage }[] = [];
    const encodeOptions = {
      maxMessageBytes: this.#maxMessageBytes,
      signer: this.#signer,
      payloadStore: this.#payloadStore,
    };
    const encoded = await Promise.all(ready.map((p) => encodeJob(p, encodeOptions)));
    ready.forEach((p, i) => {
      const message = encoded[i] as OutgoingMessage | Error;
      if (message instanceof Error)
        results[p.index] = { ok: false, index: p.index, error: message };
      else toSend.push({ prepared: p, message });
    });
    const sendResults = await dispatchJobs(toSend, {
      driver: this.#driver,
      sendRetries: this.#sendRetries,
      longDelays: this.#longDelays,
    });
    toSend.forEach(({ prepared: { index, enqueueing } }, i) => {
      const sent = sendResults[i];
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
        : {
            ok: false,
            index,
            error:
              sent?.error ??
              new QueueDriverError(enqueueing.queue, "send", "the driver returned no result"),
          };
    });

    const hookResults = ready.map((p) => results[p.index] as EnqueueItemResult<EnqueuedJob>);
    await runHooks(this.#hooks, this.#hookRun("onEnqueued", "reverse"), (h) =>
      h.onEnqueued?.(event, hookResults),
    );
    return results;
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

  // Producer hooks have no timeout: enqueue awaits them as it awaits the transport.
  #hookRun(name: string, order: HookRun["order"]): HookRun {
    return {
      logger: this.#logger,
      name,
      order,
      timeoutMs: () => Number.POSITIVE_INFINITY,
      failedMessage: `producer hook ${name} failed`,
    };
  }
}
