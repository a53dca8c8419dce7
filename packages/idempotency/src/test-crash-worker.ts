// A worker process for the crash test: it runs one SQS record through `bootstrapWorker` and
// hangs inside the handler until the test kills it. Started with Node's own type stripping.
import { DynamoDBClient } from "@aws-sdk/client-dynamodb";
import { silentLogger } from "@glasswork/core";
import { MockQueueDriver } from "@glasswork/driver-mock";
import { bootstrapWorker } from "@glasswork/worker";
import type { Context, SQSEvent } from "aws-lambda";
import { createIdempotencyStore } from "./create-idempotency-store.js";
import { crashJob } from "./test-crash-job.js";

const [endpoint, tableName, eventJson] = process.argv.slice(2);
if (!endpoint || !tableName || !eventJson) throw new Error("usage: endpoint table event-json");
const client = new DynamoDBClient({
  endpoint,
  region: "us-east-1",
  credentials: { accessKeyId: "test", secretAccessKey: "test" },
});
const store = createIdempotencyStore({ tableName, client });
const job = crashJob(store, async () => {
  process.stdout.write("started\n");
  setInterval(() => {}, 60_000); // keeps the process alive until it is killed
  await new Promise(() => {});
});
const handler = bootstrapWorker({
  jobs: [job],
  driver: new MockQueueDriver(),
  logger: silentLogger,
});
await handler(
  JSON.parse(eventJson) as SQSEvent,
  {
    awsRequestId: "crash",
    getRemainingTimeInMillis: () => 900_000,
  } as Context,
);
process.stdout.write("finished\n");
