import type { AddressInfo } from "node:net";
import { createConnection, createServer, type Socket } from "node:net";

/**
 * A TCP relay on 127.0.0.1 in front of a local server, which a test cuts and restores: the
 * server becomes unreachable while its in-memory data survives (stopping dynalite or fauxqs
 * would drop it).
 */
export interface TestRelay {
  readonly endpoint: string;
  /** Closes the relay and every open connection through it. */
  cut(): Promise<void>;
  /** Listens again on the same port. */
  restore(): Promise<void>;
  close(): Promise<void>;
}

/** Starts a relay to `target` (an `http://127.0.0.1:<port>` endpoint). */
export async function startTestRelay(target: string): Promise<TestRelay> {
  const { hostname, port } = new URL(target);
  const sockets = new Set<Socket>();
  const relay = createServer((inbound) => {
    const outbound = createConnection({ host: hostname, port: Number(port) });
    sockets.add(inbound).add(outbound);
    inbound.pipe(outbound).pipe(inbound);
    const drop = () => {
      inbound.destroy();
      outbound.destroy();
      sockets.delete(inbound);
      sockets.delete(outbound);
    };
    inbound.on("error", drop).on("close", drop);
    outbound.on("error", drop).on("close", drop);
  });
  const listen = (at: number) =>
    new Promise<void>((resolve, reject) => {
      relay.once("error", reject);
      relay.listen(at, "127.0.0.1", () => resolve());
    });
  await listen(0);
  const relayPort = (relay.address() as AddressInfo).port;
  const cut = async () => {
    if (!relay.listening) return;
    const closed = new Promise<void>((resolve) => relay.close(() => resolve()));
    for (const socket of sockets) socket.destroy();
    sockets.clear();
    await closed;
  };
  return {
    endpoint: `http://127.0.0.1:${relayPort}`,
    cut,
    restore: () => listen(relayPort),
    close: cut,
  };
}
