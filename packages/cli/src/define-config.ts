import type { AnyJobDefinition, PeriodicJobDefinition, Services } from "@glasswork/core";
import type { WorkerFacts } from "@glasswork/ops";

/** The contents of `glasswork.config.ts`. */
export interface GlassworkConfig {
  /** Logical queue name → queue URL, as your app's `SQSQueueDriver` has them. */
  readonly queues: Readonly<Record<string, string>>;
  /** Your job definitions: `enqueue` validates against them, `work` runs them, `doctor` checks them. */
  readonly jobs?: readonly (AnyJobDefinition | PeriodicJobDefinition)[];
  /** AWS region. Default: the SDK's (`AWS_REGION`, your profile). */
  readonly region?: string;
  /** SQS endpoint, for a local server (`http://127.0.0.1:9324`). */
  readonly endpoint?: string;
  /** The worker's timeout and event source mapping, for `doctor`: one for all queues, or per queue. */
  readonly worker?: WorkerFacts | Readonly<Record<string, WorkerFacts>>;
  /** The producer's settings, as your app's `JobService` has them. */
  readonly producer?: { readonly maxMessageBytes?: number };
  /** The services your handlers get in `ctx.services`, for `glasswork work`. */
  readonly services?: Services | (() => Services | Promise<Services>);
}

/**
 * Types a `glasswork.config.ts`. It returns its argument: the CLI loads the file's default export.
 *
 * @example
 * // given: jobModules
 * // glasswork.config.ts
 * import { defineConfig } from "@glasswork/cli";
 * import { sendWelcomeEmail } from "./src/jobs/send-welcome-email.js";
 *
 * export default defineConfig({
 *   queues: { default: process.env.JOBS_QUEUE_URL ?? "http://127.0.0.1:9324/000000000000/jobs" },
 *   jobs: [sendWelcomeEmail],
 *   worker: { functionTimeoutSeconds: 30, reportBatchItemFailures: true },
 * });
 */
export function defineConfig(config: GlassworkConfig): GlassworkConfig {
  return config;
}
