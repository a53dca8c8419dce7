import { DynamoDBClient, PutItemCommand } from "@aws-sdk/client-dynamodb";
import { marshall } from "@aws-sdk/util-dynamodb";
import { silentLogger } from "@glasswork/core";
import { listDeadLetters } from "@glasswork/ops";
import { InMemorySpanExporter, SimpleSpanProcessor } from "@opentelemetry/sdk-trace-base";
import { afterAll, beforeAll, describe, expect, it, vi } from "vitest";
import { startTestRelay, type TestRelay } from "../../../packages/core/src/test-tcp-relay.js";
import { loadConfig } from "./config.js";
import { JOBS_QUEUE } from "./create-driver.js";
import { creditAccount, processImage, sendWelcomeEmail } from "./jobs/index.js";
import { type LocalAws, startLocalAws } from "./local/start-local-aws.js";
import { type LocalDynamo, startLocalDynamo } from "./local/start-local-dynamo.js";
import { type RunningApp, startApp } from "./start-app.js";

// The app runs as on AWS (table, bucket and queues named in the configuration), with DynamoDB
// and S3 reached through relays that the tests cut: the stores go away mid-test, their data
// stays.
let aws: LocalAws;
let dynamo: LocalDynamo;
let dynamoRelay: TestRelay;
let s3Relay: TestRelay;
let direct: DynamoDBClient;
let app: RunningApp;
const spans = new InMemorySpanExporter();
const PNG = new Uint8Array([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a, 7]);

beforeAll(async () => {
  vi.stubEnv("AWS_ACCESS_KEY_ID", "local");
  vi.stubEnv("AWS_SECRET_ACCESS_KEY", "local");
  aws = await startLocalAws();
  dynamo = await startLocalDynamo();
  dynamoRelay = await startTestRelay(dynamo.endpoint);
  s3Relay = await startTestRelay(aws.endpoint);
  direct = new DynamoDBClient({
    endpoint: dynamo.endpoint,
    region: "us-east-1",
    credentials: aws.credentials,
  });
  app = await startApp(
    loadConfig({
      PORT: "0",
      JOBS_QUEUE_URL: aws.jobsQueueUrl,
      JOBS_DLQ_URL: aws.deadLetterQueueUrl,
      SQS_ENDPOINT: aws.endpoint,
      APP_TABLE: dynamo.tableName,
      DYNAMODB_ENDPOINT: dynamoRelay.endpoint,
      IMAGES_BUCKET: aws.imagesBucket,
      S3_ENDPOINT: s3Relay.endpoint,
      NEWSLETTER_SEED_USERS: "0",
      IMAGE_FAILURE_RATE: "0",
      OPERATOR_TOKEN: "operator-token-for-outage-tests",
    }),
    { logger: silentLogger, spanProcessor: new SimpleSpanProcessor(spans) },
  );
}, 60_000);

afterAll(async () => {
  await app?.stop();
  direct?.destroy();
  await dynamoRelay?.close();
  await s3Relay?.close();
  await dynamo?.stop();
  await aws?.stop();
  vi.unstubAllEnvs();
});

/** The outcomes of the job's runs, in order (one `process` span per run). */
const outcomes = (jobId: string) =>
  spans
    .getFinishedSpans()
    .filter((s) => s.name.startsWith("process ") && s.attributes["glasswork.job.id"] === jobId)
    .map((s) => String(s.attributes["glasswork.job.outcome"]));

async function until(what: string, check: () => Promise<boolean> | boolean): Promise<void> {
  const deadline = Date.now() + 30_000;
  while (!(await check())) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
}

async function drained(): Promise<void> {
  await until("the queue to drain", async () => {
    const stats = await app.driver.stats(JOBS_QUEUE);
    return stats.visible + stats.inFlight + stats.delayed === 0;
  });
}

describe("the example when a store is unreachable", () => {
  it("DynamoDB down: jobs retry, the API answers 503; once it is back each job takes effect once", async () => {
    expect(await app.store.createUser({ id: "u_out", email: "out@example.com", name: "Out" })).toBe(
      true,
    );
    await dynamoRelay.cut();
    const welcome = await app.jobs.enqueue(sendWelcomeEmail, { userId: "u_out" });
    const credit = await app.jobs.enqueue(creditAccount, {
      accountId: "acc_out",
      transactionId: "tx_out",
      amountCents: 400,
    });
    await until("a failed attempt of each job", () =>
      [welcome.jobId, credit.jobId].every((id) => outcomes(id).includes("retry")),
    );
    const read = await fetch(`${app.url}/accounts/acc_out`);
    expect(read.status).toBe(503);
    expect(await read.json()).toEqual({ error: "the data store is unavailable, try again" });

    await dynamoRelay.restore();
    await until("the welcome email", async () => (await app.store.countOutbox("welcome")) === 1);
    await until("the credit", async () => (await app.store.balance("acc_out")) === 400);
    await drained();

    for (const jobId of [welcome.jobId, credit.jobId]) {
      const runs = outcomes(jobId);
      expect(runs.at(-1)).toBe("completed");
      expect(runs.filter((o) => o === "completed")).toHaveLength(1);
      expect(runs.slice(0, -1).every((o) => o === "retry")).toBe(true);
    }
    expect((await app.store.outbox("welcome")).map((e) => e.jobId)).toEqual([welcome.jobId]);
    expect(await app.store.transactions("acc_out")).toHaveLength(1);
    expect((await listDeadLetters(app.driver, JOBS_QUEUE)).letters).toEqual([]);
  });

  it("S3 down: the image job retries and the API refuses uploads with 503; once it is back the thumbnail is made once", async () => {
    await app.images.put("uploads/outage.png", PNG, "image/png");
    await s3Relay.cut();
    const job = await app.jobs.enqueue(processImage, { storageKey: "uploads/outage.png" });
    await until("a failed attempt", () => outcomes(job.jobId).includes("retry"));
    const upload = await fetch(`${app.url}/images`, {
      method: "POST",
      headers: { "content-type": "image/png" },
      body: PNG,
    });
    expect(upload.status).toBe(503);

    await s3Relay.restore();
    await until(
      "the thumbnail",
      async () => (await app.store.image("uploads/outage.png")) !== undefined,
    );
    await drained();
    const runs = outcomes(job.jobId);
    expect(runs.filter((o) => o === "completed")).toHaveLength(1);
    expect(runs.at(-1)).toBe("completed");
    expect(await app.store.image("uploads/outage.png")).toMatchObject({
      thumbnailKey: "thumbnails/outage.thumb.svg",
      format: "png",
      bytes: PNG.length,
    });
    expect((await app.images.get("thumbnails/outage.thumb.svg"))?.contentType).toBe(
      "image/svg+xml",
    );
    expect((await listDeadLetters(app.driver, JOBS_QUEUE)).letters).toEqual([]);
  });

  it("a malformed stored record dead-letters the job with an error naming its key", async () => {
    await direct.send(
      new PutItemCommand({
        TableName: dynamo.tableName,
        Item: marshall({ pk: "USER#u_broken", sk: "USER", id: "u_broken", email: 7 }),
      }),
    );
    const job = await app.jobs.enqueue(sendWelcomeEmail, { userId: "u_broken" });
    let letter: { reason?: string | undefined; error?: string | undefined } | undefined;
    await until("the dead letter", async () => {
      const { letters } = await listDeadLetters(app.driver, JOBS_QUEUE);
      letter = letters.find((l) => l.jobId === job.jobId);
      return letter !== undefined;
    });
    expect(letter?.reason).toBe("permanent");
    expect(letter?.error).toMatch(
      /^MalformedRecordError: stored record USER#u_broken \/ USER is malformed: email: .*; name: /,
    );
    expect(outcomes(job.jobId)).toEqual(["dead_letter"]);
  });
});
