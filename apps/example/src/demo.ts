import { silentLogger } from "@glasswork/core";
import { loadConfig } from "./config.js";
import { startApp } from "./start-app.js";

// A scripted tour: fan-out with a live progress bar, a retry, a dead letter, a redrive. It
// runs on the embedded SQS, S3 and DynamoDB (in memory: nothing is left behind), then exits.
const config = loadConfig({ ...process.env, PORT: "0" });
// The first bytes of a PNG: enough for the example's thumbnailer to know the format.
const PNG = new Uint8Array([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]);
// The image service fails the first two calls, so the retry is always on show.
let imageCalls = 0;
const app = await startApp(config, {
  logger: silentLogger,
  random: () => (imageCalls++ < 2 ? 0 : 0.99),
});
// The demo is its own operator: fan-out, dead letters and redrive are operator routes.
const operator = { authorization: `Bearer ${app.operatorToken}` };
const say = (text: string) => console.log(`\n\x1b[1m${text}\x1b[0m`);

async function post(path: string, body?: unknown) {
  const response = await fetch(`${app.url}${path}`, {
    method: "POST",
    headers: { "content-type": "application/json", ...operator },
    ...(body !== undefined && { body: JSON.stringify(body) }),
  });
  return (await response.json()) as Record<string, unknown>;
}

async function until(check: () => boolean | Promise<boolean>, timeoutMs = 120_000) {
  const deadline = Date.now() + timeoutMs;
  while (!(await check())) {
    if (Date.now() > deadline) throw new Error("the demo timed out");
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
}

function progress(done: number, total: number, startedAt: number) {
  const width = 40;
  const filled = Math.round((done / total) * width);
  const seconds = (performance.now() - startedAt) / 1000;
  const rate = Math.round(done / Math.max(seconds, 0.001));
  process.stdout.write(
    `\r  [${"#".repeat(filled)}${".".repeat(width - filled)}] ${done}/${total} emails  ${rate}/s   `,
  );
}

try {
  say("1. Fan-out: one newsletter email job per subscriber, sent with enqueueBatch");
  const users = await app.store.countUsers();
  const startedAt = performance.now();
  const sent = await post("/newsletters/demo/send");
  const enqueueSeconds = ((performance.now() - startedAt) / 1000).toFixed(1);
  console.log(
    `  ${sent.enqueued} jobs enqueued in ${enqueueSeconds}s (${Math.ceil(users / 10)} SendMessageBatch requests)`,
  );
  await until(async () => {
    const written = await app.store.countOutbox("newsletter");
    progress(written, users, startedAt);
    return written === users;
  });
  console.log("\n  every subscriber got exactly one email (the outbox is keyed by job id)");

  say("2. An upload goes to S3, the job gets its key; the flaky image service makes it retry");
  await app.images.put("uploads/demo.png", PNG, "image/png");
  await post("/images", { storageKey: "uploads/demo.png" });
  await until(async () => (await app.store.image("uploads/demo.png")) !== undefined);
  const image = await app.store.image("uploads/demo.png");
  console.log(`  ${image?.thumbnailKey} written to S3 on attempt ${image?.attempts}`);

  say("3. A permanent failure goes to the dead-letter queue at once, with its reason");
  await post("/users/u_ghost/welcome");
  let dead: Record<string, unknown>[] = [];
  await until(async () => {
    const response = await fetch(`${app.url}/jobs/dead-letters`, { headers: operator });
    dead = ((await response.json()) as { deadLetters: Record<string, unknown>[] }).deadLetters;
    return dead.length > 0;
  });
  console.log(`  ${dead[0]?.jobName}: ${dead[0]?.reason} — ${dead[0]?.error}`);

  say("4. Fix the cause (create the user), then redrive the dead letter");
  await app.store.createUser({ id: "u_ghost", email: "ghost@example.com", name: "Ghost" });
  console.log(`  ${JSON.stringify(await post("/jobs/dead-letters/redrive"))}`);
  await until(async () => (await app.store.outbox("welcome")).some((e) => e.userId === "u_ghost"));
  console.log("  the welcome email is in the outbox");
  say("Done.");
} finally {
  await app.stop();
}
