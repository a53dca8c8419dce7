import { connect, createServer, type Socket } from "node:net";

/**
 * Test-only (excluded from the build): a TCP forwarder on 127.0.0.1 in front of a server, that
 * can be shut (connections refused, open ones cut) and opened again on the same port. A client
 * pointed at it sees the server go down and come back, while the server keeps its state.
 */
export interface TcpGate {
  /** `http://127.0.0.1:<port>` of the gate. */
  readonly endpoint: string;
  /** Refuses connections and cuts the open ones. */
  shut(): Promise<void>;
  /** Accepts and forwards connections again, on the same port. */
  open(): Promise<void>;
}

/** Starts a gate forwarding to `target` (`http://127.0.0.1:<port>`), open. */
export async function startTcpGate(target: string): Promise<TcpGate> {
  const { hostname, port } = new URL(target);
  const sockets = new Set<Socket>();
  const server = createServer((client) => {
    const upstream = connect(Number(port), hostname);
    for (const socket of [client, upstream]) {
      sockets.add(socket);
      socket.on("close", () => sockets.delete(socket));
      socket.on("error", () => {
        client.destroy();
        upstream.destroy();
      });
    }
    client.pipe(upstream).pipe(client);
  });
  const listen = (at: number) =>
    new Promise<number>((resolve, reject) => {
      server.once("error", reject);
      server.listen(at, "127.0.0.1", () => {
        server.off("error", reject);
        resolve((server.address() as { port: number }).port);
      });
    });
  const gatePort = await listen(0);
  return {
    endpoint: `http://127.0.0.1:${gatePort}`,
    async shut() {
      const closed = new Promise<void>((resolve) => server.close(() => resolve()));
      for (const socket of sockets) socket.destroy();
      await closed;
    },
    async open() {
      await listen(gatePort);
    },
  };
}
