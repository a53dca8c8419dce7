export { ATTR, MESSAGING_SYSTEM, METRICS, UNKNOWN_JOB_NAME } from "./attributes.js";
export { createOtelHooks, type OtelHooks } from "./create-otel-hooks.js";
export type { OtelHooksOptions, QueueNaming } from "./otel-options.js";
