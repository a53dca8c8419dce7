import { DynamoDBClient, PutItemCommand } from "@aws-sdk/client-dynamodb";
import { marshall } from "@aws-sdk/util-dynamodb";
import { isJobError } from "@glasswork/core";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { startTestRelay, type TestRelay } from "../../../../packages/core/src/test-tcp-relay.js";
import { type LocalDynamo, startLocalDynamo } from "../local/start-local-dynamo.js";
import { AppStore } from "./app-store.js";
import { MalformedRecordError, StoreUnavailableError } from "./store-errors.js";

let dynamo: LocalDynamo;
let client: DynamoDBClient;
let store: AppStore;
const calls: string[] = [];

beforeAll(async () => {
  dynamo = await startLocalDynamo();
  client = new DynamoDBClient({
    endpoint: dynamo.endpoint,
    region: "us-east-1",
    credentials: { accessKeyId: "local", secretAccessKey: "local" },
  });
  // Observes which operations the store sends (the requests still go to dynalite).
  client.middlewareStack.add(
    (next, context) => (args) => {
      calls.push(String(context.commandName));
      return next(args);
    },
    { step: "initialize" },
  );
  store = new AppStore(client, dynamo.tableName);
});

afterAll(async () => {
  client?.destroy();
  await dynamo?.stop();
});

const put = (item: Record<string, unknown>) =>
  client.send(new PutItemCommand({ TableName: dynamo.tableName, Item: marshall(item) }));

describe("AppStore on dynalite", () => {
  it("seeds 10,000 subscribers with BatchWriteItem, 25 items a request, and lists them all", async () => {
    calls.length = 0;
    await store.seedUsers(10_000);
    // A user item and an email claim per subscriber: 20,000 items in 800 requests.
    expect(calls.filter((c) => c === "BatchWriteItemCommand")).toHaveLength(800);
    expect(calls.filter((c) => c !== "BatchWriteItemCommand")).toEqual([]);
    expect(await store.countUsers()).toBe(10_000);
    const ids = await store.userIds();
    expect(ids).toHaveLength(10_000);
    expect(new Set(ids).size).toBe(10_000);
    expect(ids[0]).toBe("seed-00001");
  }, 60_000);

  it("keeps emails unique, and takes over the claim of a sign-up that failed between its writes", async () => {
    expect(await store.createUser({ id: "u_a", email: "a@example.com", name: "A" })).toBe(true);
    expect(await store.createUser({ id: "u_b", email: "A@example.com", name: "B" })).toBe(false);
    expect(await store.findUser("u_b")).toBeUndefined();
    // A claim without its user (the writer died after the first write), two minutes old.
    await put({ pk: "EMAIL#orphan@example.com", sk: "EMAIL", userId: "u_gone", claimedAt: 0 });
    expect(await store.createUser({ id: "u_c", email: "orphan@example.com", name: "C" })).toBe(
      true,
    );
    expect(await store.findUser("u_c")).toEqual({
      id: "u_c",
      email: "orphan@example.com",
      name: "C",
    });
  });

  it("writes an outbox email once per job id", async () => {
    const email = { jobId: "job-w-1", kind: "welcome", userId: "u_a", subject: "Hi" } as const;
    expect(await store.addToOutbox(email)).toBe(true);
    expect(await store.addToOutbox({ ...email, subject: "Hi again" })).toBe(false);
    const written = (await store.outbox("welcome")).filter((e) => e.jobId === "job-w-1");
    expect(written).toMatchObject([{ subject: "Hi" }]);
  });

  it("deletes outbox emails older than the cutoff only", async () => {
    const old = new Date(Date.now() - 40 * 86_400_000).toISOString();
    await store.addToOutbox(
      { jobId: "job-old", kind: "newsletter", userId: "u_a", subject: "Old" },
      old,
    );
    await store.addToOutbox({
      jobId: "job-new",
      kind: "newsletter",
      userId: "u_a",
      subject: "New",
    });
    expect(await store.deleteOldOutbox(30)).toBe(1);
    expect((await store.outbox("newsletter")).map((e) => e.jobId)).toEqual(["job-new"]);
  });

  it("applies a credit once when 20 deliveries of it run at the same time", async () => {
    const results = await Promise.all(
      Array.from({ length: 20 }, () => store.applyCredit("acc_c", "tx_c", 300)),
    );
    expect(results.filter(Boolean)).toHaveLength(1);
    expect(await store.balance("acc_c")).toBe(300);
    expect(await store.transactions("acc_c")).toEqual([
      { accountId: "acc_c", transactionId: "tx_c", amountCents: 300 },
    ]);
  });

  it("applies a credit recorded by an attempt that failed before the balance changed, once", async () => {
    // What an attempt leaves when the store fails between the two writes: the transaction
    // recorded, the balance untouched.
    await put({
      pk: "ACCOUNT#acc_r",
      sk: "TX#tx_r",
      accountId: "acc_r",
      transactionId: "tx_r",
      amountCents: 700,
      recordedAt: new Date().toISOString(),
    });
    expect(await store.balance("acc_r")).toBe(0);
    expect(await store.applyCredit("acc_r", "tx_r", 700)).toBe(true); // the retry
    expect(await store.applyCredit("acc_r", "tx_r", 700)).toBe(false); // a later redelivery
    expect(await store.balance("acc_r")).toBe(700);
  });

  it("refuses a transaction id reused with another amount, permanently", async () => {
    await store.applyCredit("acc_m", "tx_m", 100);
    const error = await store.applyCredit("acc_m", "tx_m", 999).catch((e: unknown) => e);
    expect(isJobError(error, "PERMANENT")).toBe(true);
    expect((error as Error).message).toBe(
      "transaction tx_m of account acc_m was recorded for 100 cents, not 999",
    );
    expect(await store.balance("acc_m")).toBe(100);
  });

  it("names the key of a malformed stored record", async () => {
    await put({ pk: "USER#u_bad", sk: "USER", id: "u_bad", email: "bad@example.com", name: 42 });
    await put({ pk: "ACCOUNT#acc_bad", sk: "BALANCE", balanceCents: "lots" });
    const user = await store.findUser("u_bad").catch((e: unknown) => e);
    expect(user).toBeInstanceOf(MalformedRecordError);
    expect(isJobError(user, "PERMANENT")).toBe(true);
    expect((user as Error).message).toMatch(
      /^stored record USER#u_bad \/ USER is malformed: name: /,
    );
    await expect(store.balance("acc_bad")).rejects.toThrow(
      /^stored record ACCOUNT#acc_bad \/ BALANCE is malformed: balanceCents: /,
    );
  });
});

describe("AppStore when DynamoDB is unreachable", () => {
  let relay: TestRelay;
  let cutClient: DynamoDBClient;

  beforeAll(async () => {
    relay = await startTestRelay(dynamo.endpoint);
    cutClient = new DynamoDBClient({
      endpoint: relay.endpoint,
      region: "us-east-1",
      credentials: { accessKeyId: "local", secretAccessKey: "local" },
      maxAttempts: 1,
    });
  });
  afterAll(async () => {
    cutClient?.destroy();
    await relay?.close();
  });

  it("fails every operation with a transient error naming the operation and the key", async () => {
    const cut = new AppStore(cutClient, dynamo.tableName);
    await relay.cut();
    const error = await cut
      .addToOutbox({ jobId: "job-x", kind: "welcome", userId: "u_a", subject: "X" })
      .catch((e: unknown) => e);
    expect(error).toBeInstanceOf(StoreUnavailableError);
    expect(isJobError(error, "TRANSIENT")).toBe(true);
    expect((error as Error).message).toMatch(
      /^DynamoDB PutItem OUTBOX#job-x \/ OUTBOX on glasswork-example failed: /,
    );
    await expect(cut.balance("acc_c")).rejects.toBeInstanceOf(StoreUnavailableError);
    await relay.restore();
    expect(await cut.balance("acc_c")).toBe(300);
    expect(
      await cut.addToOutbox({ jobId: "job-x", kind: "welcome", userId: "u_a", subject: "X" }),
    ).toBe(true);
  });
});
