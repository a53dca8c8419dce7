import { randomBytes } from "node:crypto";
import type { AddressInfo } from "node:net";
import { Hono } from "hono";
import { dashboard } from "./dashboard.js";
import type { DashboardOptions } from "./dashboard-options.js";
import { tokenAuth } from "./token-auth.js";

/** Options of {@link serveDashboard}: the dashboard's, without `auth` (a token is used). */
export interface ServeDashboardOptions extends Omit<DashboardOptions, "auth" | "unsafeNoAuth"> {
  /** Port on 127.0.0.1. Default 0: any free port. */
  readonly port?: number;
  /** The access token. Default: 32 random bytes, base64url. */
  readonly token?: string;
}

/** A running standalone dashboard. */
export interface ServedDashboard {
  /** `http://127.0.0.1:<port>/`. */
  readonly url: string;
  /** The token to print: open `loginUrl` or send `Authorization: Bearer <token>`. */
  readonly token: string;
  /** `url` with `?token=…`: opening it once sets the session cookie. */
  readonly loginUrl: string;
  /** Stops listening and closes open connections. */
  close(): Promise<void>;
}

/**
 * Serves the dashboard on its own, on 127.0.0.1 only, behind a random token (`glasswork
 * dashboard` runs this). It prints nothing: show the `loginUrl` or `token` to the operator.
 * Needs `@hono/node-server`.
 *
 * @example
 * // given: driver
 * const served = await serveDashboard({ driver, queues: ["default"] });
 * console.log(`Dashboard: ${served.loginUrl}`);
 * process.once("SIGINT", () => void served.close());
 */
export async function serveDashboard(options: ServeDashboardOptions): Promise<ServedDashboard> {
  const { port = 0, token = randomBytes(32).toString("base64url"), ...rest } = options;
  const { serve } = await import("@hono/node-server");
  const app = new Hono();
  const server = await new Promise<ReturnType<typeof serve>>((resolve, reject) => {
    const started = serve({ fetch: app.fetch, hostname: "127.0.0.1", port }, () =>
      resolve(started),
    );
    started.once("error", reject);
  });
  const address = server.address() as AddressInfo;
  // Cookies ignore ports: named after it, two dashboards on 127.0.0.1 do not log each other out.
  const cookieName = `glasswork_dashboard_auth_${address.port}`;
  try {
    app.route("/", dashboard({ ...rest, auth: tokenAuth({ token, cookieName }) }));
  } catch (error) {
    server.close();
    throw error;
  }
  const url = `http://127.0.0.1:${address.port}/`;
  return {
    url,
    token,
    loginUrl: `${url}?token=${encodeURIComponent(token)}`,
    close: () =>
      new Promise<void>((resolve, reject) => {
        if ("closeAllConnections" in server) server.closeAllConnections();
        server.close((error) => (error ? reject(error) : resolve()));
      }),
  };
}
