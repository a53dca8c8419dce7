import type { Logger } from "./logger.js";

/**
 * The part of the Powertools for AWS Lambda `Logger` that Glasswork writes to: message first,
 * then extra objects merged into the line, and `createChild` instead of pino's `child`.
 */
export interface PowertoolsLoggerLike {
  debug(message: string, ...extra: Record<string, unknown>[]): void;
  info(message: string, ...extra: Record<string, unknown>[]): void;
  warn(message: string, ...extra: Record<string, unknown>[]): void;
  error(message: string, ...extra: Record<string, unknown>[]): void;
  createChild(options?: { persistentKeys?: Record<string, unknown> }): PowertoolsLoggerLike;
}

/**
 * Adapts a Powertools for AWS Lambda `Logger` (`@aws-lambda-powertools/logger`) to Glasswork's
 * pino-shaped {@link Logger}: `(obj, msg)` becomes `(msg, obj)`, and `child(bindings)` becomes a
 * Powertools child logger whose persistent keys are the bindings, so every job line still
 * carries `jobId`, `jobName` and `attempt` next to Powertools' Lambda context keys.
 *
 * @example
 * import { Logger } from "@aws-lambda-powertools/logger";
 * import { fromPowertoolsLogger } from "@glasswork/core";
 *
 * const logger = fromPowertoolsLogger(new Logger({ serviceName: "worker" }));
 */
export function fromPowertoolsLogger(powertools: PowertoolsLoggerLike): Logger {
  return {
    debug: (obj, msg) => powertools.debug(msg ?? "", obj),
    info: (obj, msg) => powertools.info(msg ?? "", obj),
    warn: (obj, msg) => powertools.warn(msg ?? "", obj),
    error: (obj, msg) => powertools.error(msg ?? "", obj),
    child: (bindings) => fromPowertoolsLogger(powertools.createChild({ persistentKeys: bindings })),
  };
}
