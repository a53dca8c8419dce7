export { createEmfMetricsHooks, type EmfMetricsOptions } from "./create-emf-metrics-hooks.js";
export { METRIC_NAMES, UNKNOWN_JOB_NAME } from "./metric-names.js";
