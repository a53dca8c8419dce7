import { execFile } from "node:child_process";
import { fileURLToPath } from "node:url";
import { promisify } from "node:util";
import { defineJob, JobService } from "@glasswork/core";
import { SQSQueueDriver } from "@glasswork/driver-sqs";
import type { SQSBatchResponse, SQSEvent } from "aws-lambda";
import * as v from "valibot";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import {
  FAUXQS_REGION,
  type FauxqsTestServer,
  startFauxqsTestServer,
  type TestQueue,
} from "../../driver-sqs/src/test-fauxqs.js";
import { messageToRecord } from "./message-to-record.js";
import type { SdkLoadWorkerInput } from "./test-sdk-load-worker.js";

// Issue 14 item 3: importing @aws-sdk/client-sqs is most of a worker's cold start, and a Lambda
// invocation whose jobs all succeed needs no SQS call (Lambda deletes what is not in
// `batchItemFailures`), so it must never load the SDK. Each case runs the handler in a fresh Node
// process whose module hook records every `@aws-sdk/` module resolved: in this process vitest
// and the test's own driver have loaded it long ago.

const WORKER = fileURLToPath(new URL("./test-sdk-load-worker.ts", import.meta.url));
const run = promisify(execFile);

const greet = defineJob({
  name: "greet",
  schema: v.object({ name: v.string() }),
  handler: () => {},
});

let sqs: FauxqsTestServer;
let queue: TestQueue;
let producer: SQSQueueDriver;
beforeAll(async () => {
  sqs = await startFauxqsTestServer();
  queue = await sqs.createQueue("lazy-sdk");
  producer = new SQSQueueDriver({ ...sqs.clientConfig, queues: { default: queue.url } });
});
afterAll(async () => {
  await producer.dispose();
  await sqs.stop();
});

/** Enqueues one job and receives it, as Lambda's event source mapping would deliver it. */
async function deliveredEvent(): Promise<SQSEvent> {
  await new JobService(producer).enqueue(greet, { name: "Ada" });
  const [message] = await producer.receive("default", { maxMessages: 1 });
  if (!message) throw new Error("nothing received");
  return {
    Records: [
      messageToRecord(message, {
        eventSourceARN: `arn:aws:sqs:${FAUXQS_REGION}:000000000000:${queue.name}`,
        awsRegion: FAUXQS_REGION,
      }),
    ],
  };
}

/** Runs the event through a fresh worker process; what it answered and the SDK modules it loaded. */
async function runWorker(
  event: SQSEvent,
  fail: boolean,
): Promise<{ response: SQSBatchResponse; sdkModules: string[] }> {
  const input: SdkLoadWorkerInput = {
    clientConfig: { ...sqs.clientConfig },
    queueUrl: queue.url,
    event,
    fail,
  };
  const { stdout } = await run(
    process.execPath,
    [
      "--conditions=@glasswork/source",
      "--experimental-transform-types",
      "--no-warnings",
      WORKER,
      JSON.stringify(input),
    ],
    {
      env: {
        ...process.env,
        NODE_OPTIONS: "",
        AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED: "true",
      },
    },
  );
  return JSON.parse(stdout.trim().split("\n").at(-1) ?? "");
}

describe("the AWS SDK in a Lambda worker on SQSQueueDriver", () => {
  it("is never loaded by an invocation whose jobs all succeed, and no SQS request is made", async () => {
    const event = await deliveredEvent();
    sqs.resetRequestCounts();

    const { response, sdkModules } = await runWorker(event, false);

    expect(response).toEqual({ batchItemFailures: [] });
    expect(sdkModules).toEqual([]);
    for (const action of ["ChangeMessageVisibility", "SendMessage", "GetQueueAttributes"]) {
      expect(sqs.requestCount(action)).toBe(0);
    }
  });

  it("is loaded by the first retry, which sets the message's visibility to the backoff on SQS", async () => {
    const event = await deliveredEvent();
    const [record] = event.Records;
    sqs.resetRequestCounts();

    const { response, sdkModules } = await runWorker(event, true);

    expect(response).toEqual({ batchItemFailures: [{ itemIdentifier: record?.messageId }] });
    expect(sdkModules).toContain("@aws-sdk/client-sqs");
    expect(sqs.requestCount("ChangeMessageVisibility")).toBe(1);
    // The backoff of a first attempt is seconds, far below the queue's 30 s visibility timeout
    // the receive set: the message comes back long before that.
    const [again] = await producer.receive("default", { maxMessages: 1, waitTimeSeconds: 20 });
    expect(again?.messageId).toBe(record?.messageId);
    expect(again?.receiveCount).toBe(2);
  });
});
