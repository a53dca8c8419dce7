import { silentLogger } from "@glasswork/core";
import { messageToRecord } from "@glasswork/worker";
import {
  InMemorySpanExporter,
  type ReadableSpan,
  SimpleSpanProcessor,
} from "@opentelemetry/sdk-trace-base";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { loadConfig } from "./config.js";
import { JOBS_QUEUE } from "./create-driver.js";
import { type RunningApp, startApp } from "./start-app.js";

const SUBSCRIBERS = 10_000;
let app: RunningApp;
// The first bytes of a PNG: what the thumbnailer checks.
const PNG = new Uint8Array([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a, 1, 2, 3]);
const spans = new InMemorySpanExporter();

beforeAll(async () => {
  const config = loadConfig({
    PORT: "0",
    NEWSLETTER_SEED_USERS: String(SUBSCRIBERS),
    IMAGE_FAILURE_RATE: "0.5",
    WORKER_CONCURRENCY: "4",
  });
  let call = 0;
  app = await startApp(config, {
    logger: silentLogger,
    spanProcessor: new SimpleSpanProcessor(spans),
    // The flaky image service fails every other call: retries are certain, and bounded.
    random: () => (call++ % 2 === 0 ? 0.1 : 0.9),
  });
}, 60_000);

afterAll(async () => {
  await app?.stop();
});

async function api(method: string, path: string, body?: unknown, asOperator = false) {
  const bytes = body instanceof Uint8Array;
  const response = await fetch(`${app.url}${path}`, {
    method,
    headers: {
      "content-type": bytes ? "image/png" : "application/json",
      ...(asOperator && { authorization: `Bearer ${app.operatorToken}` }),
    },
    ...(body !== undefined && { body: bytes ? body : JSON.stringify(body) }),
  });
  return { status: response.status, body: (await response.json()) as Record<string, unknown> };
}

async function waitFor<T>(
  what: string,
  check: () => Promise<T | undefined | false> | T | undefined | false,
  timeoutMs = 60_000,
): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = await check();
    if (value !== undefined && value !== false) return value;
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
}

describe("the example app, end to end on the embedded SQS, S3 and DynamoDB", () => {
  it("signs up a user and writes the welcome email, in one trace from the request to the job", async () => {
    const { status, body } = await api("POST", "/users", { email: "ada@example.com", name: "Ada" });
    expect(status).toBe(201);
    const userId = (body.user as { id: string }).id;
    const email = await waitFor("the welcome email", async () =>
      (await app.store.outbox("welcome")).find((e) => e.userId === userId),
    );
    expect(email).toMatchObject({ jobId: body.jobId, subject: "Welcome, Ada!" });

    const byName = (name: string, pick: (s: ReadableSpan) => boolean = () => true) =>
      spans.getFinishedSpans().find((s) => s.name === name && pick(s));
    const request = await waitFor("the request span", () => byName("POST /users"));
    // Named after the queue's real name on both sides; the logical one rides along.
    const send = byName(
      "send glasswork-example-jobs",
      (s) => s.attributes["glasswork.job.id"] === body.jobId,
    );
    const process = await waitFor("the job span", () =>
      byName(
        "process glasswork-example-jobs",
        (s) => s.attributes["glasswork.job.id"] === body.jobId,
      ),
    );
    expect(send?.attributes["glasswork.queue"]).toBe("default");
    expect(send?.parentSpanContext?.spanId).toBe(request.spanContext().spanId);
    expect(process.parentSpanContext?.spanId).toBe(send?.spanContext().spanId);
    expect(process.spanContext().traceId).toBe(request.spanContext().traceId);
    expect(process.attributes["glasswork.job.outcome"]).toBe("completed");
  });

  it("rejects bad input with a clear 400 and enqueues nothing", async () => {
    expect(await api("POST", "/users", { email: "nope", name: "" })).toMatchObject({ status: 400 });
    const image = await api("POST", "/images", { storageKey: "data:image/png;base64,AAAA" });
    expect(image.status).toBe(400);
    expect(image.body.error).toMatch(/storage key/);
  });

  it("fans a newsletter out to every subscriber and writes each email exactly once", async () => {
    const users = await app.store.countUsers();
    expect(users).toBeGreaterThanOrEqual(SUBSCRIBERS);
    const { status, body } = await api("POST", "/newsletters/launch/send", undefined, true);
    expect(status).toBe(202);
    expect(body).toEqual({ newsletterId: "launch", enqueued: users, failed: 0 });
    await waitFor(
      "every newsletter email",
      async () => (await app.store.countOutbox("newsletter")) === users,
      90_000,
    );
    const emails = await app.store.outbox("newsletter", users + 1);
    expect({ users: new Set(emails.map((e) => e.userId)).size, emails: emails.length }).toEqual({
      users,
      emails: users,
    });

    // Sending it again reuses the job ids (unique.key): no second email for anyone.
    expect((await api("POST", "/newsletters/launch/send", undefined, true)).body.enqueued).toBe(
      users,
    );
    await drained();
    expect(await app.store.countOutbox("newsletter")).toBe(users);
  }, 120_000);

  it("applies a credit once, even when the same message is delivered twice", async () => {
    const first = await api("POST", "/accounts/acc_1/credit", {
      amountCents: 500,
      transactionId: "tx_1",
    });
    const again = await api("POST", "/accounts/acc_1/credit", {
      amountCents: 500,
      transactionId: "tx_1",
    });
    expect([first.status, again.status]).toEqual([202, 202]);
    await waitFor("the credit", async () => (await app.store.balance("acc_1")) === 500);

    // The same SQS message, delivered twice (at-least-once delivery), straight to the worker.
    const body = JSON.stringify({
      v: 1,
      id: "job-tx-2",
      name: "credit-account",
      payload: { accountId: "acc_1", transactionId: "tx_2", amountCents: 250 },
      enqueuedAt: new Date().toISOString(),
    });
    const delivery = (messageId: string, receiveCount: number) =>
      messageToRecord(
        {
          queue: JOBS_QUEUE,
          messageId,
          receiptHandle: `rh-${messageId}`,
          body,
          attributes: { "glasswork.job": "credit-account" },
          receiveCount,
          sentTimestamp: Date.now(),
          firstReceiveTimestamp: Date.now(),
        },
        { eventSourceARN: "arn:aws:sqs:us-east-1:000000000000:default", awsRegion: "us-east-1" },
      );
    const context = { awsRequestId: "r", getRemainingTimeInMillis: () => 30_000 } as never;
    expect(await app.handler({ Records: [delivery("m-1", 1)] }, context)).toEqual({
      batchItemFailures: [],
    });
    expect(await app.handler({ Records: [delivery("m-1", 2)] }, context)).toEqual({
      batchItemFailures: [],
    });
    expect(await app.store.balance("acc_1")).toBe(750);
    expect((await app.store.transactions("acc_1")).map((t) => t.transactionId).sort()).toEqual([
      "tx_1",
      "tx_2",
    ]);
  });

  it("reads each upload from S3 by key, retries a transiently failing image job with backoff, writes the thumbnail back", async () => {
    // Three uploads through the API (the bytes go to S3, the job gets the key), three objects
    // already in the bucket named by key.
    const keys: string[] = [];
    for (let i = 0; i < 3; i++) {
      const { status, body } = await api("POST", "/images", PNG);
      expect(status).toBe(202);
      keys.push(body.storageKey as string);
    }
    for (let i = 0; i < 3; i++) {
      const storageKey = `uploads/photo-${i}.png`;
      await app.images.put(storageKey, PNG, "image/png");
      expect((await api("POST", "/images", { storageKey })).status).toBe(202);
      keys.push(storageKey);
    }
    expect(keys.slice(0, 3).every((k) => /^uploads\/[\w-]+\.png$/.test(k))).toBe(true);
    const images = await waitFor(
      "every thumbnail",
      async () => {
        const done = await Promise.all(keys.map((key) => app.store.image(key)));
        return done.every(Boolean) ? done : undefined;
      },
      60_000,
    );
    expect(images.map((i) => i?.thumbnailKey)).toEqual(
      keys.map((k) => k.replace("uploads/", "thumbnails/").replace(".png", ".thumb.svg")),
    );
    for (const image of images) {
      const thumbnail = await app.images.get(image?.thumbnailKey ?? "");
      expect(new TextDecoder().decode(thumbnail?.bytes)).toContain(`PNG · ${PNG.length} bytes`);
    }
    expect(Math.max(...images.map((i) => i?.attempts ?? 0))).toBeGreaterThan(1);
    const retried = spans
      .getFinishedSpans()
      .filter(
        (s) =>
          s.attributes["glasswork.job.name"] === "process-image" &&
          s.attributes["glasswork.job.outcome"] === "retry",
      );
    expect(retried.length).toBeGreaterThan(0);
  });

  it("dead-letters a permanent failure with its reason, and redrives it once fixed", async () => {
    const { body } = await api("POST", "/users/u_later/welcome");
    const letter = await pollDeadLetters(body.jobId as string);
    expect(letter).toMatchObject({
      reason: "permanent",
      error: "PermanentJobError: user u_later does not exist",
      jobName: "send-welcome-email",
      payload: { userId: "u_later" },
      attempt: 1,
    });
    expect((await api("GET", "/jobs/stats", undefined, true)).body.deadLetterQueue).toBe(1);

    await app.store.createUser({ id: "u_later", email: "later@example.com", name: "Later" });
    expect((await api("POST", "/jobs/dead-letters/redrive", undefined, true)).body).toMatchObject({
      moved: 1,
      failed: 0,
    });
    await waitFor("the redriven welcome email", async () =>
      (await app.store.outbox("welcome")).find((e) => e.userId === "u_later"),
    );
    expect((await api("GET", "/jobs/dead-letters", undefined, true)).body.deadLetters).toEqual([]);
  });

  it("redrives while the cause is not fixed: returns, each dead letter moves once and runs once more (tour step 5)", async () => {
    const ids: string[] = [];
    for (const user of ["u_gone_1", "u_gone_2", "u_gone_3"]) {
      ids.push((await api("POST", `/users/${user}/welcome`)).body.jobId as string);
    }
    for (const id of ids) await pollDeadLetters(id);
    const runs = () =>
      spans
        .getFinishedSpans()
        .filter(
          (s) =>
            s.name.startsWith("process ") && ids.includes(String(s.attributes["glasswork.job.id"])),
        ).length;
    expect(runs()).toBe(3);

    const redrive = await api("POST", "/jobs/dead-letters/redrive", undefined, true);

    expect(redrive.status).toBe(200);
    expect(redrive.body.moved).toBe(3);
    for (const id of ids) await pollDeadLetters(id);
    await drained();
    expect(runs()).toBe(6); // once more each, not in a loop
  });

  it("runs the periodic cleanup job", async () => {
    await expect(app.runPeriodic("daily-cleanup")).resolves.toBeUndefined();
    const span = spans
      .getFinishedSpans()
      .find((s) => s.attributes["glasswork.job.name"] === "daily-cleanup");
    expect(span?.attributes["glasswork.job.outcome"]).toBe("completed");
  });
});

/** Waits until the jobs queue has nothing visible, delayed or in flight. */
async function drained(): Promise<void> {
  const deadline = Date.now() + 60_000;
  for (;;) {
    const stats = await app.driver.stats(JOBS_QUEUE);
    if (stats.visible + stats.inFlight + stats.delayed === 0) return;
    if (Date.now() > deadline) throw new Error(`queue not drained: ${JSON.stringify(stats)}`);
    await new Promise((resolve) => setTimeout(resolve, 200));
  }
}

async function pollDeadLetters(jobId: string) {
  const deadline = Date.now() + 30_000;
  for (;;) {
    const { body } = await api("GET", "/jobs/dead-letters", undefined, true);
    const found = (body.deadLetters as { jobId: string }[]).find((d) => d.jobId === jobId);
    if (found) return found;
    if (Date.now() > deadline) throw new Error("timed out waiting for the dead letter");
    await new Promise((resolve) => setTimeout(resolve, 200));
  }
}
