import { type AddressInfo, createConnection, createServer, type Socket } from "node:net";

/**
 * Test-only helper (excluded from the build and the published package): a TCP relay on
 * 127.0.0.1 in front of a local protocol server, which a test cuts and restores. The server
 * becomes unreachable while its in-memory data survives (stopping dynalite or fauxqs would drop
 * it). Other packages' tests import it by relative path.
 *
 * @example
 * const relay = await startTestRelay(dynamo.endpoint);
 * const client = new DynamoDBClient({ endpoint: relay.endpoint });
 * await relay.cut(); // requests through `relay.endpoint` now fail
 * await relay.restore(); // and succeed again, on the same port
 * await relay.close();
 */
export interface TestRelay {
  /** `http://127.0.0.1:<port>` of the relay: give it to the client under test. */
  readonly endpoint: string;
  /**
   * Stops listening and destroys every open connection through the relay, so requests in
   * flight fail. Does nothing when already cut.
   */
  cut(): Promise<void>;
  /** Listens again, on the same port. */
  restore(): Promise<void>;
  /** Stops the relay for good (the same as {@link TestRelay.cut}); the target keeps running. */
  close(): Promise<void>;
}

/** Starts a relay to `target` (an `http://127.0.0.1:<port>` endpoint), listening. */
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
      relay.listen(at, "127.0.0.1", () => {
        relay.off("error", reject);
        resolve();
      });
    });
  await listen(0);
  const relayPort = (relay.address() as AddressInfo).port;
  const cut = async () => {
    if (!relay.listening) return;
    const closed = new Promise<void>((resolve) => relay.close(() => resolve()));
    for (const socket of sockets) socket.destroy();
    await closed;
  };
  return {
    endpoint: `http://127.0.0.1:${relayPort}`,
    cut,
    restore: () => listen(relayPort),
    close: cut,
  };
}
