// A Lambda worker process for the lazy-SDK test: it registers a module hook that records every
// module under `@aws-sdk/` resolved in this process, then imports the worker and the SQS driver
// from source, runs one SQS event through `bootstrapWorker`'s handler, and prints the response
// and the SDK modules it saw as one JSON line. Started with Node's own TypeScript support.
import { registerHooks } from "node:module";
import type { Context, SQSEvent } from "aws-lambda";

/** What the test passes as the only argument (JSON). */
export interface SdkLoadWorkerInput {
  readonly clientConfig: Record<string, unknown>;
  readonly queueUrl: string;
  readonly event: SQSEvent;
  /** Whether the job throws (and so retries) instead of succeeding. */
  readonly fail: boolean;
}

const sdkModules = new Set<string>();
registerHooks({
  resolve(specifier, context, next) {
    let resolved: ReturnType<typeof next>;
    try {
      resolved = next(specifier, context);
    } catch (error) {
      // Our sources import siblings as `./x.js`: the file on disk is `./x.ts`.
      if (!/^\.\.?\//.test(specifier) || !specifier.endsWith(".js")) throw error;
      resolved = next(`${specifier.slice(0, -3)}.ts`, context);
    }
    if (specifier.startsWith("@aws-sdk/") || resolved.url.includes("/@aws-sdk/")) {
      sdkModules.add(specifier);
    }
    return resolved;
  },
});

const input = JSON.parse(process.argv[2] ?? "") as SdkLoadWorkerInput;
const { defineJob, silentLogger } = await import("@glasswork/core");
const { SQSQueueDriver } = await import("@glasswork/driver-sqs");
const { bootstrapWorker } = await import("./index.js");
const v = await import("valibot");

const greet = defineJob({
  name: "greet",
  schema: v.object({ name: v.string() }),
  handler: () => {
    if (input.fail) throw new Error("try again later");
  },
});
const driver = new SQSQueueDriver({ ...input.clientConfig, queues: { default: input.queueUrl } });
const handler = bootstrapWorker({ jobs: [greet], driver, logger: silentLogger });
const response = await handler(input.event, {
  awsRequestId: "c6af9ac6-7b61-11e6-9a41-93e812345678",
  functionName: "jobs-worker",
  getRemainingTimeInMillis: () => 60_000,
} as Context);
await driver.dispose();
process.stdout.write(`${JSON.stringify({ response, sdkModules: [...sdkModules] })}\n`);
