import { createServer, type Server } from "node:net";
import { afterEach, describe, expect, it } from "vitest";
import { ensurePortFree } from "./ensure-port-free.js";

describe("ensurePortFree", () => {
  let taken: Server | undefined;
  afterEach(
    () => new Promise<void>((resolve) => (taken ? taken.close(() => resolve()) : resolve())),
  );

  it("says which port is taken and the command that picks another one", async () => {
    taken = createServer();
    const port = await new Promise<number>((resolve) =>
      taken?.listen({ host: "127.0.0.1", port: 0 }, () => {
        const address = taken?.address();
        resolve(typeof address === "object" && address ? address.port : 0);
      }),
    );
    await expect(ensurePortFree("127.0.0.1", port)).rejects.toThrow(
      `Port ${port} on 127.0.0.1 is already in use. Start on another one: PORT=${port + 1} pnpm start`,
    );
  });

  it("resolves for a free port and leaves it free", async () => {
    const probe = createServer();
    const port = await new Promise<number>((resolve) =>
      probe.listen({ host: "127.0.0.1", port: 0 }, () => {
        const address = probe.address();
        const free = typeof address === "object" && address ? address.port : 0;
        probe.close(() => resolve(free));
      }),
    );
    await expect(ensurePortFree("127.0.0.1", port)).resolves.toBeUndefined();
    await expect(ensurePortFree("127.0.0.1", port)).resolves.toBeUndefined();
  });
});
