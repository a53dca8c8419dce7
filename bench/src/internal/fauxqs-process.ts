// Child-process entry of `startFauxqsServer`: fauxqs on 127.0.0.1 in its own process, so the
// server's CPU time never shares an event loop with the code being measured.
import { buildApp } from "fauxqs";
import type { ServerReply, ServerRequest } from "./fauxqs-server.js";

const app = buildApp({ logger: false });
const counts: Record<string, number> = {};
app.addHook("onRequest", (request, _reply, done) => {
  const target = request.headers["x-amz-target"];
  if (typeof target === "string") {
    const action = target.slice(target.lastIndexOf(".") + 1);
    counts[action] = (counts[action] ?? 0) + 1;
  }
  done();
});
let sockets = 0;
app.server.on("connection", () => {
  sockets++;
});
// Never the CLI or startFauxqs(): both bind every interface.
const endpoint = await app.listen({ host: "127.0.0.1", port: 0 });

const reply = (message: ServerReply) => process.send?.(message);
process.on("message", (message: ServerRequest) => {
  if (message.type === "counts") {
    reply({ type: "counts", id: message.id, counts: { ...counts }, sockets });
  }
  if (message.type === "reset") {
    for (const action of Object.keys(counts)) delete counts[action];
    sockets = 0;
    reply({ type: "counts", id: message.id, counts: {}, sockets });
  }
});
// The parent going away, gracefully or not, ends the server.
process.on("disconnect", () => {
  void app.close().finally(() => process.exit(0));
});
reply({ type: "ready", endpoint });
