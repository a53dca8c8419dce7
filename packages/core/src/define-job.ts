import type { StandardSchemaV1 } from "@standard-schema/spec";
import { type Duration, toSeconds } from "./duration.js";
import type { JobContext } from "./job-context.js";
import type { JobDeadLetterHandler } from "./job-dead-letter.js";
import { type RetryOption, type RetryPolicy, resolveRetryPolicy } from "./retry-policy.js";

/** The queue a job goes to when neither the job nor the call names one. */
export const DEFAULT_QUEUE = "default";

const EXPIRED_ACTIONS = new Set<string>(["dead-letter", "drop"]);

const JOB_NAME_PATTERN = /^[A-Za-z0-9][A-Za-z0-9._:-]{0,127}$/;

/** The options of {@link defineJob}. `Input` is what callers enqueue, `Output` what the handler gets. */
export interface JobOptions<Input, Output> {
  /** Unique and stable: it is the job's identity on the wire. Letters, digits, `.`, `_`, `:`, `-`. */
  name: string;
  /** Any Standard Schema (valibot, zod, arktype…). Checked at enqueue and again in the worker. */
  schema?: StandardSchemaV1<Input, Output>;
  /** Logical queue name, resolved by the driver. Default `"default"`. */
  queue?: string;
  /** Attempts and backoff. Default 25 attempts, exponential backoff with full jitter from 1 s to 15 min. */
  retry?: RetryOption;
  /**
   * The job id, from the payload: enqueues with the same key share a job id, so an idempotent
   * handler (keyed by `ctx.jobId`) does the work once. On FIFO queues it is also the
   * `MessageDeduplicationId`, so SQS drops a repeat within 5 minutes; standard queues deliver
   * every copy.
   */
  unique?: { key: (payload: Output) => string };
  /** FIFO message group. Default: the job name (one ordered stream per job). */
  group?: (payload: Output) => string;
  /** Runs the job. May run more than once for the same job id: make it idempotent. */
  handler: (payload: Output, ctx: JobContext) => Promise<void> | void;
  /**
   * Default expiry of every enqueue of this job (`"10m"`, or seconds), counted from the enqueue:
   * a worker that receives it later does not run it. An enqueue's `expiresIn` overrides it.
   */
  expiresAfter?: Duration;
  /** What happens to an expired job: `"dead-letter"` (default, reason `expired`) or `"drop"` (deleted, logged). */
  onExpired?: ExpiredAction;
  /**
   * Runs once when the worker moved this job to the dead-letter queue (`permanent`,
   * `invalid-payload`, `retry-exhausted`, `expired`), after the worker's `onJobDeadLetter` hooks.
   * Like a hook, it cannot change the outcome: a throw or a hang is logged. Not called when the
   * move failed (the job is dead-lettered, and this runs, on a later receive), nor for unreadable
   * bodies and unknown job names. See {@link JobDeadLetterHandler} for the payload's type.
   */
  onDeadLetter?: JobDeadLetterHandler<Output>;
}

/** What the worker does with a job received after its expiry. */
export type ExpiredAction = "dead-letter" | "drop";

/** A job defined with {@link defineJob}. */
export interface JobDefinition<Input = unknown, Output = Input> {
  readonly kind: "job";
  readonly name: string;
  readonly schema: StandardSchemaV1<Input, Output> | undefined;
  readonly queue: string;
  readonly retry: RetryPolicy;
  readonly unique: { key: (payload: Output) => string } | undefined;
  readonly group: ((payload: Output) => string) | undefined;
  readonly handler: (payload: Output, ctx: JobContext) => Promise<void> | void;
  readonly expiresAfter: Duration | undefined;
  readonly onExpired: ExpiredAction;
  readonly onDeadLetter: JobDeadLetterHandler<Output> | undefined;
}

/** Any job definition, whatever its payload. */
// biome-ignore lint/suspicious/noExplicitAny: variance: a job of any payload must fit here.
export type AnyJobDefinition = JobDefinition<any, any>;

/** The payload type callers pass to `enqueue` for a job. */
// `infer` for the output too: `Output` is invariant (handler parameter), so `unknown` never matches.
export type JobInput<J> = J extends JobDefinition<infer I, infer _O> ? I : never;
/** The payload type the job's handler receives. */
export type JobPayload<J> = J extends JobDefinition<unknown, infer O> ? O : never;

/**
 * Defines a job. With a schema, the payload type is inferred from it (its input type at
 * enqueue, its output type in the handler); without one, give it as a type parameter.
 *
 * @example
 * // given: services, v
 * export const sendWelcomeEmail = defineJob({
 *   name: "send-welcome-email",
 *   schema: v.object({ userId: v.string() }),
 *   retry: { maxAttempts: 5 },
 *   handler: async ({ userId }, ctx) => {
 *     await ctx.services.mailer.sendWelcome(userId);
 *   },
 * });
 */
export function defineJob<Input, Output>(
  options: JobOptions<Input, Output> & { schema: StandardSchemaV1<Input, Output> },
): JobDefinition<Input, Output>;
export function defineJob<Payload>(
  options: Omit<JobOptions<Payload, Payload>, "schema">,
): JobDefinition<Payload, Payload>;
export function defineJob<Input, Output>(
  options: JobOptions<Input, Output>,
): JobDefinition<Input, Output> {
  checkJobName(options.name);
  if (typeof options.handler !== "function") {
    throw new TypeError(`Job "${options.name}" needs a handler function`);
  }
  if (options.expiresAfter !== undefined && !(toSeconds(options.expiresAfter) > 0)) {
    throw new RangeError(`Job "${options.name}": expiresAfter must be more than 0 s`);
  }
  if (options.onExpired !== undefined && !EXPIRED_ACTIONS.has(options.onExpired)) {
    throw new TypeError(`Job "${options.name}": onExpired must be "dead-letter" or "drop"`);
  }
  return Object.freeze({
    kind: "job",
    name: options.name,
    schema: options.schema,
    queue: options.queue ?? DEFAULT_QUEUE,
    retry: resolveRetryPolicy(options.retry),
    unique: options.unique,
    group: options.group,
    handler: options.handler,
    expiresAfter: options.expiresAfter,
    onExpired: options.onExpired ?? "dead-letter",
    onDeadLetter: options.onDeadLetter,
  });
}

/** Throws when a job name cannot travel as an SQS message attribute and group id. */
export function checkJobName(name: string): void {
  if (typeof name !== "string" || !JOB_NAME_PATTERN.test(name)) {
    throw new TypeError(
      `Invalid job name ${JSON.stringify(name)}: use 1-128 letters, digits, ".", "_", ":" or "-", starting with a letter or digit`,
    );
  }
}
