export {
  createJobTimeline,
  type JobTimeline,
  type JobTimelineOptions,
  type TimelineEvent,
} from "./create-job-timeline.js";
export { dashboard } from "./dashboard.js";
export type { DashboardOptions } from "./dashboard-options.js";
export { DashboardAuthRequiredError } from "./errors.js";
export { REDACTED, redactPayload } from "./redact-payload.js";
export {
  type ServeDashboardOptions,
  type ServedDashboard,
  serveDashboard,
} from "./serve-dashboard.js";
export { type TokenAuthOptions, tokenAuth } from "./token-auth.js";
