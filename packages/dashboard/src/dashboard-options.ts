import type { AnyJobDefinition, QueueDriver } from "@glasswork/core";
import type { ReceiveWindowOptions, UnknownSource } from "@glasswork/ops";
import type { MiddlewareHandler } from "hono";
import type { JobTimeline } from "./create-job-timeline.js";

/** Options of {@link dashboard}. */
export interface DashboardOptions {
  /** The driver of the queues shown (the same one your app sends with). */
  readonly driver: QueueDriver;
  /** Logical names of the queues shown; no other queue can be read or changed through it. */
  readonly queues: readonly string[];
  /** Job definitions: they tell which queue a dead letter without a source belongs to. */
  readonly jobs?: readonly AnyJobDefinition[];
  /**
   * Lets only operators through; runs before every route. Required unless `unsafeNoAuth`.
   * `tokenAuth({ token })` is one; your app's session check is another.
   */
  readonly auth?: MiddlewareHandler;
  /** Run without `auth`: only when something in front already authenticates every request. */
  readonly unsafeNoAuth?: boolean;
  /**
   * Payload fields replaced by `"[redacted]"` before rendering (`"card.number"`, `"email"`,
   * `"items.*.token"`); their values never reach the browser.
   */
  readonly redact?: readonly string[];
  /** A timeline from `createJobTimeline()`, when the producer or worker runs in this process. */
  readonly timeline?: JobTimeline;
  /** How dead letters without a source queue are treated (see `@glasswork/ops`). */
  readonly unknownSource?: UnknownSource;
  /**
   * How the dead-letter queue is walked by listings, redrives and deletes (long-poll wait, hold
   * time); see `@glasswork/ops`.
   */
  readonly receiveWindow?: ReceiveWindowOptions;
  /** Most dead letters moved per second by a redrive. Default: no limit. */
  readonly redriveRatePerSecond?: number;
  /** Seconds between live refreshes of the queues and timeline views. Default 2. */
  readonly refreshSeconds?: number;
  /** Shown in the page title. Default "Glasswork Jobs". */
  readonly title?: string;
}
