import type { Logger } from "./logger.js";

/**
 * Augment this interface to type `ctx.services` in every handler, once for the whole app.
 *
 * @example
 * // given: Database, Mailer
 * import "@glasswork/core"; // makes this file a module: an augmentation, not a replacement
 *
 * declare module "@glasswork/core" {
 *   interface Register {
 *     services: { db: Database; mailer: Mailer };
 *   }
 * }
 */
// biome-ignore lint/suspicious/noEmptyInterface: users augment it through declaration merging.
export interface Register {}

/** The app's services as registered through {@link Register}; `unknown` until registered. */
export type Services = Register extends { services: infer S } ? S : unknown;

/**
 * What a job handler knows about the run it is in. The worker makes `logger`, `signal` and
 * `enqueuedAt` on first read (they cost more than a small job): pass `ctx` itself, not a
 * `{ ...ctx }` copy.
 */
export interface JobContext {
  /** Job id: the same on every attempt and redelivery; use it as an idempotency key. */
  readonly jobId: string;
  readonly jobName: string;
  /**
   * The queue the job came from, as the worker saw it: in Lambda the physical queue name from
   * the event source ARN, under the poller the name given to `startPoller`.
   */
  readonly queue: string;
  /** 1-based attempt number: SQS's approximate receive count less the releases without running the worker made. */
  readonly attempt: number;
  /** When the job was first enqueued. */
  readonly enqueuedAt: Date;
  /** The envelope's string map: trace context and user metadata. */
  readonly meta: Readonly<Record<string, string>>;
  /** A logger whose lines carry `jobId`, `jobName` and `attempt`. */
  readonly logger: Logger;
  /**
   * Fires shortly before the Lambda deadline (under the poller: before its
   * `functionTimeoutSeconds`): stop work and throw. A graceful poller stop lets jobs finish.
   */
  readonly signal: AbortSignal;
  /** The app's services, created once per cold start. Typed through {@link Register}. */
  readonly services: Services;
}
