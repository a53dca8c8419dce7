export { ATTR, MESSAGING_SYSTEM, METRICS } from "./attributes.js";
export { createOtelHooks, type OtelHooks } from "./create-otel-hooks.js";
export type { OtelHooksOptions } from "./otel-options.js";
