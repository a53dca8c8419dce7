import type { DashboardOptions } from "../dashboard-options.js";
import type { QueueLock } from "./queue-lock.js";
import type { TaskRegistry } from "./task-registry.js";

/** What the dashboard's middleware puts on each request's context. */
export interface DashboardEnv {
  Variables: {
    /** Where the dashboard is mounted (`""` at the root): every link starts with it. */
    dashboardBase: string;
    /** The session's CSRF token, for the hidden field of every form. */
    csrfToken: string;
    /** Nonce of this response's inline style and script (Content-Security-Policy). */
    cspNonce: string;
  };
}

/** What the routes share. */
export interface DashboardRuntime {
  readonly options: DashboardOptions;
  readonly tasks: TaskRegistry;
  readonly locks: QueueLock;
}
