import { DynamoDBClient, PutItemCommand } from "@aws-sdk/client-dynamodb";
import { GetQueueAttributesCommand, SendMessageCommand, SQSClient } from "@aws-sdk/client-sqs";
import { marshall } from "@aws-sdk/util-dynamodb";
import { SQSQueueDriver } from "@glasswork/driver-sqs";
import { messageToRecord } from "@glasswork/worker";
import type { APIGatewayProxyResultV2, SQSBatchResponse } from "aws-lambda";
import { afterAll, beforeAll, describe, expect, it, vi } from "vitest";
import { JOBS_QUEUE } from "./create-driver.js";
import { type LocalAws, startLocalAws } from "./local/start-local-aws.js";
import { type LocalDynamo, startLocalDynamo } from "./local/start-local-dynamo.js";
import { readTemplate, type YamlValue } from "./test-read-template.js";
import {
  type RecordedRequest,
  type RecordingProxy,
  startRecordingProxy,
} from "./test-recording-proxy.js";

// The Lambda entries (src/lambda/api.ts, src/lambda/worker.ts) run here as on AWS, configured
// from the environment, against fauxqs and dynalite behind recording proxies: what they send is
// what their code touches, and each function's policy must grant exactly that.

type Proxies = Record<RecordedRequest["service"], RecordingProxy>;
let aws: LocalAws;
let dynamo: LocalDynamo;
let api: Proxies;
let worker: Proxies;
let apiHandler: (event: unknown, context: unknown) => Promise<APIGatewayProxyResultV2>;
let workerHandler: (event: unknown, context: unknown) => Promise<SQSBatchResponse | undefined>;
const PNG = new Uint8Array([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a, 5]);
const context = {
  awsRequestId: "req-1",
  functionName: "test",
  getRemainingTimeInMillis: () => 30_000,
};

async function proxies(): Promise<Proxies> {
  return {
    sqs: await startRecordingProxy("sqs", aws.endpoint),
    s3: await startRecordingProxy("s3", aws.endpoint),
    dynamodb: await startRecordingProxy("dynamodb", dynamo.endpoint),
  };
}

function stubEnvFor(p: Proxies) {
  vi.stubEnv("SQS_ENDPOINT", p.sqs.endpoint);
  vi.stubEnv("S3_ENDPOINT", p.s3.endpoint);
  vi.stubEnv("DYNAMODB_ENDPOINT", p.dynamodb.endpoint);
}

beforeAll(async () => {
  aws = await startLocalAws();
  dynamo = await startLocalDynamo();
  api = await proxies();
  worker = await proxies();
  vi.stubEnv("AWS_ACCESS_KEY_ID", "local");
  vi.stubEnv("AWS_SECRET_ACCESS_KEY", "local");
  vi.stubEnv("AWS_REGION", "us-east-1");
  vi.stubEnv("JOBS_QUEUE_URL", aws.jobsQueueUrl);
  vi.stubEnv("JOBS_DLQ_URL", aws.deadLetterQueueUrl);
  vi.stubEnv("APP_TABLE", dynamo.tableName);
  vi.stubEnv("IMAGES_BUCKET", aws.imagesBucket);
  vi.stubEnv("IMAGE_FAILURE_RATE", "0");
  vi.stubEnv("NEWSLETTER_SEED_USERS", "0");
  vi.stubEnv("LOG_LEVEL", "error");
  // Each entry reads its configuration when it loads.
  stubEnvFor(api);
  apiHandler = (await import("./lambda/api.js")).handler as never;
  stubEnvFor(worker);
  workerHandler = (await import("./lambda/worker.js")).handler as never;
}, 60_000);

afterAll(async () => {
  for (const p of [api, worker]) for (const proxy of Object.values(p ?? {})) await proxy.close();
  await dynamo?.stop();
  await aws?.stop();
  vi.unstubAllEnvs();
});

async function call(
  method: string,
  path: string,
  options: { json?: unknown; bytes?: Uint8Array; operator?: boolean } = {},
) {
  const [rawPath = path, rawQueryString = ""] = path.split("?");
  const body =
    options.bytes !== undefined
      ? Buffer.from(options.bytes).toString("base64")
      : options.json !== undefined
        ? JSON.stringify(options.json)
        : undefined;
  const result = (await apiHandler(
    {
      version: "2.0",
      routeKey: "$default",
      rawPath,
      rawQueryString,
      headers: {
        host: "api.example.com",
        ...(body !== undefined && {
          "content-type": options.bytes ? "image/png" : "application/json",
        }),
      },
      requestContext: {
        accountId: "123456789012",
        apiId: "api",
        domainName: "api.example.com",
        domainPrefix: "api",
        http: {
          method,
          path: rawPath,
          protocol: "HTTP/1.1",
          sourceIp: "127.0.0.1",
          userAgent: "test",
        },
        requestId: "r",
        routeKey: "$default",
        stage: "$default",
        time: new Date().toUTCString(),
        timeEpoch: Date.now(),
        ...(options.operator && {
          authorizer: { iam: { userArn: "arn:aws:iam::123456789012:user/ops" } },
        }),
      },
      isBase64Encoded: options.bytes !== undefined,
      ...(body !== undefined && { body }),
    },
    context,
  )) as { statusCode: number; body: string };
  return { status: result.statusCode, body: JSON.parse(result.body) as Record<string, unknown> };
}

/** Hands every message in the jobs queue to the worker entry, as the event source mapping does. */
async function runWorker(): Promise<void> {
  const direct = new SQSClient({
    endpoint: aws.endpoint,
    region: "us-east-1",
    credentials: aws.credentials,
  });
  const queueArn = (
    await direct.send(
      new GetQueueAttributesCommand({ QueueUrl: aws.jobsQueueUrl, AttributeNames: ["QueueArn"] }),
    )
  ).Attributes?.QueueArn as string;
  direct.destroy();
  const eventSource = new SQSQueueDriver({
    queues: { [JOBS_QUEUE]: aws.jobsQueueUrl },
    endpoint: aws.endpoint,
    region: "us-east-1",
    credentials: aws.credentials,
  });
  const seen = new Set<string>();
  for (;;) {
    const messages = (
      await eventSource.receive(JOBS_QUEUE, { maxMessages: 10, visibilityTimeoutSeconds: 60 })
    ).filter((m) => !seen.has(m.messageId));
    if (messages.length === 0) break;
    for (const m of messages) seen.add(m.messageId);
    const records = messages.map((m) =>
      messageToRecord(m, { eventSourceARN: queueArn, awsRegion: "us-east-1" }),
    );
    await workerHandler({ Records: records }, context);
  }
  await eventSource.dispose();
}

/** CloudFormation's `!Sub "${Ref}rest"`, as the template writes it. */
const cfnSub = (ref: string, rest: string) => `!Sub \${${ref}}${rest}`;
const queueName = (url: string) => url.slice(url.lastIndexOf("/") + 1);

/** `action@resource` pairs in IAM terms, with resources as the template names them. */
function iamPairs(requests: readonly RecordedRequest[]): string[] {
  const resources: Record<string, string> = {
    [queueName(aws.jobsQueueUrl)]: "!GetAtt JobsQueue.Arn",
    [queueName(aws.deadLetterQueueUrl)]: "!GetAtt JobsDeadLetterQueue.Arn",
    [dynamo.tableName]: "!GetAtt AppTable.Arn",
    [`${dynamo.tableName}/index/gsi1`]: cfnSub("AppTable.Arn", "/index/gsi1"),
    [aws.imagesBucket]: "!GetAtt ImagesBucket.Arn",
    [`${aws.imagesBucket}/uploads/*`]: cfnSub("ImagesBucket.Arn", "/uploads/*"),
    [`${aws.imagesBucket}/thumbnails/*`]: cfnSub("ImagesBucket.Arn", "/thumbnails/*"),
  };
  // IAM has no actions of their own for these: they need the single-message one.
  const iamAction: Record<string, string> = {
    SendMessageBatch: "SendMessage",
    DeleteMessageBatch: "DeleteMessage",
    ChangeMessageVisibilityBatch: "ChangeMessageVisibility",
    HeadObject: "GetObject",
  };
  const pairs = new Set<string>();
  for (const r of requests) {
    const resource = resources[r.resource] ?? `unknown resource ${r.resource}`;
    pairs.add(`${r.service}:${iamAction[r.action] ?? r.action}@${resource}`);
    // Without ListBucket, S3 answers a missing key with 403 instead of 404.
    if (r.action === "GetObject" || r.action === "HeadObject") {
      pairs.add(`s3:ListBucket@${resources[aws.imagesBucket]}`);
    }
  }
  return [...pairs].sort();
}

/** The function's policy statements on SQS, DynamoDB and S3, as `action@resource` pairs. */
function policyPairs(functionName: string): string[] {
  const resources = readTemplate().Resources as Record<
    string,
    { Properties: Record<string, YamlValue> }
  >;
  const policies = resources[functionName]?.Properties.Policies as {
    Statement: Record<string, YamlValue>[];
  }[];
  const pairs: string[] = [];
  for (const statement of policies.flatMap((p) => p.Statement)) {
    expect(statement.Effect).toBe("Allow");
    const actions = [statement.Action ?? []].flat() as string[];
    const targets = [statement.Resource ?? []].flat() as string[];
    for (const action of actions) {
      if (!/^(sqs|dynamodb|s3):/.test(action)) continue;
      for (const target of targets) pairs.push(`${action}@${target.replaceAll('"', "")}`);
    }
  }
  return [...new Set(pairs)].sort();
}

describe("template.yaml policies against what the code sends", () => {
  it("grants the API function exactly the queues, table, index and bucket prefixes its routes touch", async () => {
    const signUp = await call("POST", "/users", {
      json: { email: "ada@example.com", name: "Ada" },
    });
    expect(signUp.status).toBe(201);
    expect(
      (await call("POST", "/users", { json: { email: "ada@example.com", name: "Ada" } })).status,
    ).toBe(409);
    expect((await call("POST", "/users/u_missing/welcome")).status).toBe(202);
    expect((await call("POST", "/newsletters/n1/send", { operator: true })).body).toMatchObject({
      enqueued: 1,
    });
    for (let i = 0; i < 2; i++) {
      const credit = await call("POST", "/accounts/acc_1/credit", {
        json: { amountCents: 100, transactionId: "tx_1" },
      });
      expect(credit.status).toBe(202);
    }
    expect((await call("GET", "/accounts/acc_1")).status).toBe(200);
    const upload = await call("POST", "/images", { bytes: PNG });
    expect(upload.status).toBe(202);
    const named = await call("POST", "/images", { json: { storageKey: upload.body.storageKey } });
    expect(named.status).toBe(202);
    expect(
      (await call("POST", "/images", { json: { storageKey: "uploads/none.png" } })).status,
    ).toBe(404);
    expect((await call("GET", `/images/${String(upload.body.storageKey)}`)).status).toBe(404);
    expect((await call("GET", "/outbox", { operator: true })).status).toBe(200);
    expect((await call("GET", "/outbox?kind=welcome", { operator: true })).status).toBe(200);

    // What the worker does with those jobs, plus the paths no route reaches: a job for a
    // missing upload (dead letter), an unknown job (retry), a long delay (relay), the cleanup.
    const direct = new SQSClient({
      endpoint: aws.endpoint,
      region: "us-east-1",
      credentials: aws.credentials,
    });
    const envelope = (name: string, payload: unknown, extra: object = {}) =>
      JSON.stringify({
        v: 1,
        id: `job-${name}`,
        name,
        payload,
        enqueuedAt: new Date().toISOString(),
        ...extra,
      });
    for (const body of [
      envelope("process-image", { storageKey: "uploads/none.png" }),
      envelope("no-such-job", {}),
      envelope(
        "send-welcome-email",
        { userId: "u_x" },
        { runAt: new Date(Date.now() + 3_600_000).toISOString() },
      ),
    ]) {
      await direct.send(new SendMessageCommand({ QueueUrl: aws.jobsQueueUrl, MessageBody: body }));
    }
    direct.destroy();
    const table = new DynamoDBClient({
      endpoint: dynamo.endpoint,
      region: "us-east-1",
      credentials: aws.credentials,
    });
    await table.send(
      new PutItemCommand({
        TableName: dynamo.tableName,
        Item: marshall({
          pk: "OUTBOX#job-old",
          sk: "OUTBOX",
          jobId: "job-old",
          kind: "welcome",
          userId: "u_1",
          subject: "Old",
          createdAt: "2020-01-01T00:00:00.000Z",
          gsi1pk: "OUTBOX#welcome",
          gsi1sk: "2020-01-01T00:00:00.000Z#job-old",
        }),
      }),
    );
    table.destroy();
    await runWorker();
    await workerHandler({ jobName: "daily-cleanup" }, context);

    // Dead letters now exist (the missing user, the missing upload): list and redrive them.
    expect((await call("GET", `/images/${String(upload.body.storageKey)}`)).status).toBe(200);
    expect((await call("GET", "/jobs/stats", { operator: true })).body.deadLetterQueue).toBe(2);
    // Named by the worker after the event source ARN (the physical queue name), listed by the
    // API under the logical one.
    const letters = await call("GET", "/jobs/dead-letters", { operator: true });
    expect(
      (letters.body.deadLetters as { jobName: string }[]).map((l) => l.jobName).sort(),
    ).toEqual(["process-image", "send-welcome-email"]);
    expect(
      (await call("POST", "/jobs/dead-letters/redrive", { operator: true })).body,
    ).toMatchObject({ moved: 2 });

    expect(iamPairs(api.sqs.requests.concat(api.s3.requests, api.dynamodb.requests))).toEqual(
      policyPairs("ApiFunction"),
    );
  });

  it("grants the worker function exactly what its jobs and its SQS event source touch", () => {
    const eventSourceMapping: RecordedRequest[] = [
      "ReceiveMessage",
      "DeleteMessage",
      "GetQueueAttributes",
    ].map((action) => ({ service: "sqs", action, resource: queueName(aws.jobsQueueUrl) }));
    const sent = worker.sqs.requests.concat(worker.s3.requests, worker.dynamodb.requests);
    // The run above reached every kind of write: dead letter, retry, relay, conditional writes, cleanup.
    expect(sent.map((r) => r.action)).toEqual(
      expect.arrayContaining([
        "SendMessage",
        "ChangeMessageVisibility",
        "UpdateItem",
        "BatchWriteItem",
        "PutObject",
      ]),
    );
    expect(iamPairs(sent.concat(eventSourceMapping))).toEqual(policyPairs("WorkerFunction"));
  });
});
