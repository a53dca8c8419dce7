import { createServer } from "node:net";

/**
 * Resolves when `host:port` can be listened on, and rejects with one line that says how to
 * pick another port when it cannot. Checked before anything else starts, so a taken port does
 * not leave an embedded SQS and a poller running behind a raw `EADDRINUSE` trace.
 */
export function ensurePortFree(host: string, port: number): Promise<void> {
  if (port === 0) return Promise.resolve();
  return new Promise((resolve, reject) => {
    const probe = createServer();
    probe.once("error", (error: NodeJS.ErrnoException) => {
      const taken = error.code === "EADDRINUSE" || error.code === "EACCES";
      reject(
        new Error(
          taken
            ? `Port ${port} on ${host} is already in use. Start on another one: PORT=${port + 1} pnpm start`
            : `Cannot listen on ${host}:${port}: ${error.message}`,
        ),
      );
    });
    probe.listen({ host, port, exclusive: true }, () => probe.close(() => resolve()));
  });
}
