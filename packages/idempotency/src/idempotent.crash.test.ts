import { type ChildProcess, spawn } from "node:child_process";
import { once } from "node:events";
import { fileURLToPath } from "node:url";
import { messageToRecord } from "@glasswork/worker";
import { afterAll, afterEach, beforeAll, expect, it, vi } from "vitest";
import { IdempotencyInProgressError } from "./errors.js";
import { CRASH_LOCK_SECONDS, crashJob } from "./test-crash-job.js";
import { recordId, startTestDynamo, type TestDynamo } from "./test-dynalite.js";
import { createTestWorld, freezeDate, lastFailure, waitOutRetry } from "./test-world.js";

// Node runs the worker's TypeScript itself (`--experimental-transform-types`: some sources use
// parameter properties, which plain type stripping rejects); our sources import siblings as
// `./x.js`, so this hook falls back to `./x.ts` when the `.js` file does not exist.
const RESOLVE_TS = `
export async function resolve(specifier, context, next) {
  try {
    return await next(specifier, context);
  } catch (error) {
    if (/^\\.\\.?\\//.test(specifier) && specifier.endsWith(".js")) {
      return next(specifier.slice(0, -3) + ".ts", context);
    }
    throw error;
  }
}`;
const TS_RESOLVE_HOOK = `data:text/javascript,${encodeURIComponent(
  `import { register } from "node:module"; register(${JSON.stringify(`data:text/javascript,${encodeURIComponent(RESOLVE_TS)}`)});`,
)}`;
const WORKER = fileURLToPath(new URL("./test-crash-worker.ts", import.meta.url));

let dynamo: TestDynamo;
let child: ChildProcess | undefined;
beforeAll(async () => {
  dynamo = await startTestDynamo();
});
afterAll(async () => {
  child?.kill("SIGKILL");
  await dynamo.close();
});
afterEach(() => {
  vi.useRealTimers();
});

function output(process: ChildProcess): { text: () => string; line: (l: string) => Promise<void> } {
  let text = "";
  const waiters: { line: string; resolve: () => void }[] = [];
  const read = (chunk: Buffer) => {
    text += chunk.toString();
    for (const w of waiters) if (text.split("\n").includes(w.line)) w.resolve();
  };
  process.stdout?.on("data", read);
  process.stderr?.on("data", read);
  const exited = once(process, "exit");
  return {
    text: () => text,
    line: (line) =>
      Promise.race([
        new Promise<void>((resolve) => waiters.push({ line, resolve })),
        exited.then(() => {
          throw new Error(`the worker process exited before printing "${line}":\n${text}`);
        }),
      ]),
  };
}

it("runs the next delivery once the lock of a worker process killed mid-job expires", async () => {
  const world = await createTestWorld(dynamo);
  const effects: string[] = [];
  const job = crashJob(world.store, async (orderId) => void effects.push(orderId));
  world.serve([job]);
  await world.jobs.enqueue(job, { orderId: "o-50", cents: 5000 });

  // Lambda receives the message and hands it to a worker process, which dies inside the job.
  const [message] = await world.driver.receive("default", { maxMessages: 1 });
  if (!message) throw new Error("nothing received");
  const event = {
    Records: [
      messageToRecord(message, {
        eventSourceARN: "arn:aws:sqs:us-east-1:000000000000:default",
        awsRegion: "us-east-1",
      }),
    ],
  };
  child = spawn(
    process.execPath,
    [
      "--conditions=@glasswork/source",
      "--experimental-transform-types",
      "--import",
      TS_RESOLVE_HOOK,
      WORKER,
      dynamo.endpoint,
      world.table,
      JSON.stringify(event),
    ],
    { stdio: ["ignore", "pipe", "pipe"], env: { ...process.env, NODE_OPTIONS: "" } },
  );
  const worker = output(child);
  await worker.line("started");
  const exit = once(child, "exit");
  child.kill("SIGKILL");
  expect(await exit).toEqual([null, "SIGKILL"]);
  expect(worker.text()).not.toContain("finished");
  expect(await dynamo.getItem(world.table, recordId("charge-order", "o-50"))).toMatchObject({
    status: "INPROGRESS",
  });

  // The message comes back after its visibility timeout; the dead worker still holds the key.
  const date = freezeDate(Date.now());
  world.clock.advance("31s");
  expect(await world.drain()).toEqual({ batches: 1, done: 0, failed: 1 });
  expect(lastFailure(world).error).toBeInstanceOf(IdempotencyInProgressError);
  expect(effects).toEqual([]);

  date.advance(CRASH_LOCK_SECONDS + 1);
  waitOutRetry(world);
  expect(await world.drain()).toEqual({ batches: 1, done: 1, failed: 0 });
  expect(effects).toEqual(["o-50"]);
  expect(await dynamo.getItem(world.table, recordId("charge-order", "o-50"))).toMatchObject({
    status: "COMPLETED",
  });
});
