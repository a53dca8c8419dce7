import { createHash } from "node:crypto";
import {
  CreateScheduleCommand,
  type CreateScheduleCommandInput,
  DeleteScheduleCommand,
  GetScheduleCommand,
  SchedulerClient,
} from "@aws-sdk/client-scheduler";
import type {
  CancelResult,
  LongDelayedMessage,
  LongDelayScheduler,
  SendResult,
} from "@glasswork/core";
import { mapWithConcurrency } from "@glasswork/core/internal";
import { ScheduleConflictError, SchedulerError } from "./errors.js";
import { isSameDelivery } from "./internal/same-delivery.js";
import { errorName, isNotFound, toSchedulerError } from "./internal/scheduler-errors.js";
import { withBackoff } from "./internal/with-backoff.js";
import { atExpression, parseAtExpression } from "./schedule-expression.js";
import {
  checkScheduleNamePrefix,
  DEFAULT_SCHEDULE_NAME_PREFIX,
  scheduleName,
} from "./schedule-name.js";
import { parseQueueArn, type QueueArn, type SqsTargetKind, sqsTarget } from "./sqs-target.js";

/** Options of {@link eventBridgeScheduler}. */
export interface EventBridgeSchedulerOptions {
  /** Default: a new `SchedulerClient` with the environment's region and credentials. */
  readonly client?: SchedulerClient;
  /** The schedule group that holds the schedules (create it with your stack). */
  readonly groupName: string;
  /** The role EventBridge Scheduler assumes to send to the queues (`sqs:SendMessage` on them). */
  readonly roleArn: string;
  /** The ARN of every logical queue (`"default"`, as jobs name it) that gets long delays. */
  readonly queueArns: Readonly<Record<string, string>>;
  /** How a schedule sends to the queue; see {@link SqsTargetKind}. Default `"universal"`. */
  readonly target?: SqsTargetKind;
  /** Start of every schedule name, 1-20 of `0-9 A-Z a-z _ . -`. Default `"glasswork-"`. */
  readonly namePrefix?: string;
  /** An SQS queue for deliveries the scheduler could not make after its own retries. */
  readonly deadLetterArn?: string;
  /** Scheduler requests in flight at once for one `enqueueBatch`. Default 10. */
  readonly concurrency?: number;
  /** Retries of throttled or failed requests, on top of the client's. Default 5 attempts from 100 ms. */
  readonly retry?: { readonly maxAttempts?: number; readonly baseDelayMs?: number };
  /** Clock, for tests. Default `Date.now`. */
  readonly now?: () => number;
}

/**
 * Jobs due later than SQS's 15 minutes as one-time EventBridge Scheduler schedules: at the due
 * time (UTC, `FlexibleTimeWindow: OFF`) the schedule sends the job's message to its queue and is
 * deleted (`ActionAfterCompletion: DELETE`). One schedule per job, named after the job id, so
 * `jobs.cancel(jobId)` can delete it.
 *
 * @example
 * // given: JobService, driver, sendReminder
 * const jobs = new JobService(driver, {
 *   longDelays: eventBridgeScheduler({
 *     groupName: "jobs",
 *     roleArn: process.env.SCHEDULER_ROLE_ARN!,
 *     queueArns: { default: process.env.JOBS_QUEUE_ARN! },
 *   }),
 * });
 * const { jobId } = await jobs.enqueueIn(sendReminder, { userId: "u_1" }, "3d");
 * await jobs.cancel(jobId); // "cancelled"
 */
export function eventBridgeScheduler(options: EventBridgeSchedulerOptions): EventBridgeScheduler {
  return new EventBridgeScheduler(options);
}

/** The {@link LongDelayScheduler} made by {@link eventBridgeScheduler}. */
export class EventBridgeScheduler implements LongDelayScheduler {
  /** The client in use (given or created). */
  readonly client: SchedulerClient;
  readonly #groupName: string;
  readonly #roleArn: string;
  readonly #queues: ReadonlyMap<string, QueueArn>;
  readonly #target: SqsTargetKind;
  readonly #prefix: string;
  readonly #deadLetterArn: string | undefined;
  readonly #concurrency: number;
  readonly #backoff: { maxAttempts: number; baseDelayMs: number };
  readonly #now: () => number;

  constructor(options: EventBridgeSchedulerOptions) {
    if (!/^[0-9A-Za-z_.-]{1,64}$/.test(options.groupName)) {
      throw new TypeError(
        `groupName ${JSON.stringify(options.groupName)} must be 1-64 of 0-9 A-Z a-z _ . -`,
      );
    }
    if (!/^arn:aws[a-z-]*:iam::\d{12}:role\/[\w+=,.@/-]+$/.test(options.roleArn)) {
      throw new TypeError(`roleArn ${JSON.stringify(options.roleArn)} is not an IAM role ARN`);
    }
    this.#prefix = options.namePrefix ?? DEFAULT_SCHEDULE_NAME_PREFIX;
    checkScheduleNamePrefix(this.#prefix);
    this.#queues = new Map(
      Object.entries(options.queueArns).map(([queue, arn]) => [queue, parseQueueArn(arn)]),
    );
    this.client = options.client ?? new SchedulerClient({});
    this.#groupName = options.groupName;
    this.#roleArn = options.roleArn;
    this.#target = options.target ?? "universal";
    this.#deadLetterArn = options.deadLetterArn;
    this.#concurrency = options.concurrency ?? 10;
    if (!Number.isInteger(this.#concurrency) || this.#concurrency < 1) {
      throw new RangeError(`concurrency must be an integer >= 1, got ${this.#concurrency}`);
    }
    this.#backoff = {
      maxAttempts: options.retry?.maxAttempts ?? 5,
      baseDelayMs: options.retry?.baseDelayMs ?? 100,
    };
    this.#now = options.now ?? Date.now;
  }

  /** The schedule name of a job id (see {@link scheduleName}). */
  scheduleNameOf(jobId: string): string {
    return scheduleName(jobId, this.#prefix);
  }

  /**
   * Creates one schedule per message, at most `concurrency` requests at a time. A job already
   * scheduled the same way (same time, queue, payload) counts as scheduled; one scheduled
   * differently fails with a {@link ScheduleConflictError}. `messageId` is the schedule's ARN.
   */
  schedule(messages: readonly LongDelayedMessage[]): Promise<SendResult[]> {
    return mapWithConcurrency(messages, this.#concurrency, (m) => this.#scheduleOne(m));
  }

  /**
   * Deletes the job's pending schedule. `"already-fired"` when its time has come (the message is
   * sent, or about to be: a delete then could not stop it), `"not-found"` when there is none.
   */
  async cancel(jobId: string): Promise<CancelResult> {
    const name = this.scheduleNameOf(jobId);
    const key = { Name: name, GroupName: this.#groupName };
    let expression: string | undefined;
    try {
      const existing = await this.#request(() => this.client.send(new GetScheduleCommand(key)));
      expression = existing.ScheduleExpression;
    } catch (error) {
      if (isNotFound(error)) return "not-found";
      throw toSchedulerError(error, "GetSchedule", name, this.#groupName);
    }
    const due = parseAtExpression(expression ?? "");
    if (due && due.getTime() <= this.#now()) return "already-fired";
    try {
      await this.#request(() => this.client.send(new DeleteScheduleCommand(key)));
      return "cancelled";
    } catch (error) {
      // Gone between the two requests: cancelled by someone else.
      if (isNotFound(error)) return "not-found";
      throw toSchedulerError(error, "DeleteSchedule", name, this.#groupName);
    }
  }

  async #scheduleOne({ jobId, runAt, message }: LongDelayedMessage): Promise<SendResult> {
    const name = this.scheduleNameOf(jobId);
    let input: CreateScheduleCommandInput;
    try {
      const queue = this.#queues.get(message.queue);
      if (!queue) {
        throw new TypeError(
          `No queue ARN for queue "${message.queue}": add it to the queueArns of eventBridgeScheduler`,
        );
      }
      const target = sqsTarget(message, {
        kind: this.#target,
        queue,
        roleArn: this.#roleArn,
        deadLetterArn: this.#deadLetterArn,
      });
      const expression = atExpression(runAt);
      input = {
        Name: name,
        GroupName: this.#groupName,
        ScheduleExpression: expression,
        ScheduleExpressionTimezone: "UTC",
        FlexibleTimeWindow: { Mode: "OFF" },
        ActionAfterCompletion: "DELETE",
        Target: target,
        // The same request gets the same token, so a retry after a lost response is idempotent.
        ClientToken: createHash("sha256")
          .update(`${name}\n${expression}\n${target.Arn}\n${target.Input}`)
          .digest("hex"),
      };
    } catch (error) {
      return { ok: false, error: error as Error, retryable: false };
    }
    try {
      const output = await this.#request(() => this.client.send(new CreateScheduleCommand(input)));
      return { ok: true, messageId: output.ScheduleArn ?? name };
    } catch (error) {
      if (errorName(error).endsWith("ConflictException"))
        return this.#resolveConflict(jobId, input);
      const wrapped = toSchedulerError(error, "CreateSchedule", name, this.#groupName);
      return { ok: false, error: wrapped, retryable: wrapped.retryable };
    }
  }

  // A schedule with this name exists: the same job scheduled the same way is a success (a retry,
  // or the job enqueued twice); anything else must not be silently replaced or dropped.
  async #resolveConflict(jobId: string, input: CreateScheduleCommandInput): Promise<SendResult> {
    const name = input.Name as string;
    try {
      const existing = await this.#request(() =>
        this.client.send(new GetScheduleCommand({ Name: name, GroupName: this.#groupName })),
      );
      if (existing.ScheduleExpression !== input.ScheduleExpression) {
        const error = new ScheduleConflictError(
          jobId,
          name,
          `another time (${existing.ScheduleExpression}, not ${input.ScheduleExpression})`,
        );
        return { ok: false, error, retryable: false };
      }
      if (!isSameDelivery(existing.Target, input.Target)) {
        const error = new ScheduleConflictError(jobId, name, "another queue, job or payload");
        return { ok: false, error, retryable: false };
      }
      return { ok: true, messageId: existing.Arn ?? name };
    } catch (error) {
      const wrapped = isNotFound(error)
        ? new SchedulerError("CreateSchedule", name, "the conflicting schedule is gone; retry", {
            cause: error,
            retryable: true,
          })
        : toSchedulerError(error, "GetSchedule", name, this.#groupName);
      return { ok: false, error: wrapped, retryable: wrapped.retryable };
    }
  }

  #request<T>(send: () => Promise<T>): Promise<T> {
    return withBackoff(send, this.#backoff);
  }
}
