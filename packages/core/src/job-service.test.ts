import type { StandardSchemaV1 } from "@standard-schema/spec";
import * as v from "valibot";
import { afterEach, beforeEach, describe, expect, it, vi } from "vitest";
import { type AnyJobDefinition, defineJob } from "./define-job.js";
import type { EnqueueItem } from "./enqueue-options.js";
import { decodeEnvelope } from "./envelope.js";
import {
  EnqueueBatchError,
  type EnqueueItemResult,
  InvalidJobPayloadError,
  isJobError,
  PayloadTooLargeError,
  QueueDriverError,
} from "./errors.js";
import { JobService, type JobServiceOptions } from "./job-service.js";
import type { Logger } from "./logger.js";
import type { EnqueuedJob, EnqueueEvent, ProducerHooks } from "./producer-hooks.js";
import type { OutgoingMessage, SendResult } from "./queue-driver.js";
import { FakeQueueDriver, type FakeQueueDriverOptions } from "./test-fake-driver.js";

const NOW = Date.parse("2025-01-02T03:04:05.000Z");
const NOW_ISO = "2025-01-02T03:04:05.000Z";
const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/;
const noop = () => {};

const sendEmail = defineJob({
  name: "send-email",
  schema: v.object({ userId: v.string() }),
  handler: noop,
});

/** Input `{ n: "42" }`, output `{ n: 42 }`: tells the schema's input and output apart. */
const count = defineJob({
  name: "count",
  schema: v.object({ n: v.pipe(v.string(), v.transform(Number)) }),
  unique: { key: (payload) => `count-${payload.n + 1}` },
  group: (payload) => `group-${payload.n * 2}`,
  queue: "counts.fifo",
  handler: noop,
});

const untyped = defineJob<unknown>({ name: "untyped", handler: noop });

function setup(driverOptions: FakeQueueDriverOptions = {}, options: JobServiceOptions = {}) {
  const driver = new FakeQueueDriver(driverOptions);
  const service = new JobService(driver, { now: () => NOW, ...options });
  return { driver, service };
}

function bodyOf(message: OutgoingMessage | undefined): Record<string, unknown> {
  if (!message) throw new Error("no message");
  return JSON.parse(message.body) as Record<string, unknown>;
}

function spyLogger(): Logger & { error: ReturnType<typeof vi.fn> } {
  const logger = {
    debug: vi.fn(),
    info: vi.fn(),
    warn: vi.fn(),
    error: vi.fn(),
    child: vi.fn(() => logger),
  };
  return logger;
}

async function batchError(promise: Promise<unknown>): Promise<EnqueueBatchError<EnqueuedJob>> {
  const error = await promise.then(
    () => {
      throw new Error("expected enqueueBatch to reject");
    },
    (e: unknown) => e,
  );
  expect(error).toBeInstanceOf(EnqueueBatchError);
  return error as EnqueueBatchError<EnqueuedJob>;
}

const numbered = (n: number): EnqueueItem<typeof sendEmail>[] =>
  Array.from({ length: n }, (_, i) => ({
    job: sendEmail,
    payload: { userId: `u${i}` },
    options: { id: `job-${i}` },
  }));
const userIdOf = (m: OutgoingMessage) => (bodyOf(m).payload as { userId: string }).userId;
const forUsers =
  (...ids: string[]) =>
  (m: OutgoingMessage) =>
    ids.includes(userIdOf(m));

beforeEach(() => {
  // The re-send backoff sleeps `Math.random() * …` ms: no waiting in tests.
  vi.spyOn(Math, "random").mockReturnValue(0);
});

afterEach(() => {
  vi.restoreAllMocks();
});

describe("JobService options", () => {
  it("defaults to a 256 KiB limit", () => {
    expect(setup().service.maxMessageBytes).toBe(262_144);
  });

  it("takes a limit up to 1 MiB", () => {
    expect(
      setup({ maxMessageBytes: 1_048_576 }, { maxMessageBytes: 1_048_576 }).service.maxMessageBytes,
    ).toBe(1_048_576);
    expect(setup({ maxMessageBytes: 1_048_576 }).service.maxMessageBytes).toBe(1_048_576);
    expect(setup({}, { maxMessageBytes: 1_024 }).service.maxMessageBytes).toBe(1_024);
  });

  it("never goes above the driver's limit", () => {
    const driver = { maxMessageBytes: 100_000 };
    expect(setup(driver).service.maxMessageBytes).toBe(100_000);
    expect(setup(driver, { maxMessageBytes: 1_048_576 }).service.maxMessageBytes).toBe(100_000);
    expect(setup(driver, { maxMessageBytes: 50_000 }).service.maxMessageBytes).toBe(50_000);
  });

  it.each([1_048_577, 2_000_000, 1_023, 0, -1, 2048.5, Number.NaN])(
    "rejects maxMessageBytes %s with a RangeError",
    (maxMessageBytes) => {
      expect(() => new JobService(new FakeQueueDriver(), { maxMessageBytes })).toThrow(RangeError);
      expect(() => new JobService(new FakeQueueDriver(), { maxMessageBytes })).toThrow(
        /maxMessageBytes must be an integer from 1024 to 1048576/,
      );
    },
  );

  it("uses Date.now by default", async () => {
    vi.spyOn(Date, "now").mockReturnValue(NOW + 1_000);
    const driver = new FakeQueueDriver();
    await new JobService(driver).enqueue(sendEmail, { userId: "u1" });
    expect(bodyOf(driver.sent[0]).enqueuedAt).toBe("2025-01-02T03:04:06.000Z");
  });
});

describe("enqueue", () => {
  it("sends exactly one message with the envelope, the job attribute and FIFO ids", async () => {
    const { driver, service } = setup();
    const result = await service.enqueue(sendEmail, { userId: "u_1" });

    expect(driver.calls).toHaveLength(1);
    expect(driver.calls[0]).toHaveLength(1);
    const message = driver.sent[0];
    const body = bodyOf(message);
    expect(body.id).toMatch(UUID);
    expect(body).toEqual({
      v: 1,
      id: body.id,
      name: "send-email",
      payload: { userId: "u_1" },
      enqueuedAt: NOW_ISO,
    });
    expect(Object.keys(body)).toEqual(["v", "id", "name", "payload", "enqueuedAt"]);
    expect(message).toEqual({
      queue: "default",
      body: message?.body,
      attributes: { "glasswork.job": "send-email" },
      groupId: "send-email",
      deduplicationId: `send-email/${body.id}`,
    });
    expect(message).not.toHaveProperty("delaySeconds");
    expect(result).toEqual({
      jobId: body.id,
      jobName: "send-email",
      queue: "default",
      messageId: "msg-1",
      delaySeconds: 0,
      runAt: undefined,
    });
  });

  it("writes a body the worker's decoder accepts", async () => {
    const { driver, service } = setup();
    await service.enqueue(sendEmail, { userId: "u_1" }, { meta: { tenant: "t1" } });
    const decoded = decodeEnvelope(driver.sent[0]?.body ?? "");
    expect(decoded.ok).toBe(true);
  });

  it("gives every job a new random id", async () => {
    const { service } = setup();
    const a = await service.enqueue(sendEmail, { userId: "u" });
    const b = await service.enqueue(sendEmail, { userId: "u" });
    expect(a.jobId).toMatch(UUID);
    expect(b.jobId).toMatch(UUID);
    expect(a.jobId).not.toBe(b.jobId);
  });

  it("sends the payload as enqueued (the schema's input) and keys on the schema's output", async () => {
    const { driver, service } = setup();
    const result = await service.enqueue(count, { n: "42" });
    const message = driver.sent[0];
    expect(bodyOf(message).payload).toEqual({ n: "42" });
    // unique.key and group get the output ({ n: 42 }): 42 + 1 and 42 * 2.
    expect(result.jobId).toBe("count-43");
    expect(bodyOf(message).id).toBe("count-43");
    expect(message?.deduplicationId).toBe("count/count-43");
    expect(message?.groupId).toBe("group-84");
    expect(message?.queue).toBe("counts.fifo");
    expect(message?.attributes).toEqual({ "glasswork.job": "count" });
  });

  it("lets options.id win over unique.key", async () => {
    const { driver, service } = setup();
    const result = await service.enqueue(count, { n: "1" }, { id: "explicit" });
    expect(result.jobId).toBe("explicit");
    expect(bodyOf(driver.sent[0]).id).toBe("explicit");
    expect(driver.sent[0]?.deduplicationId).toBe("count/explicit");
  });

  it("rejects an empty job id and sends nothing", async () => {
    const emptyKey = defineJob({
      name: "empty-key",
      schema: v.object({}),
      unique: { key: () => "" },
      handler: noop,
    });
    const { driver, service } = setup();
    await expect(service.enqueue(sendEmail, { userId: "u" }, { id: "" })).rejects.toThrow(
      'Job "send-email": the job id "" must be 1-128 printable ASCII characters',
    );
    const error = await service.enqueue(emptyKey, {}).catch((e: unknown) => e);
    expect(isJobError(error, "INVALID_ENQUEUE_OPTIONS")).toBe(true);
    expect(error).toMatchObject({ jobName: "empty-key", option: "id" });
    expect(driver.calls).toEqual([]);
  });

  it("rejects ids and group ids that SQS would refuse (spaces, non-ASCII, over 128 characters)", async () => {
    const grouped = defineJob<{ g: string }>({ name: "grouped", group: (p) => p.g, handler: noop });
    const { driver, service } = setup();
    for (const id of ["has space", "émoji", "x".repeat(129)]) {
      await expect(service.enqueue(sendEmail, { userId: "u" }, { id })).rejects.toThrow(
        /job id .* must be 1-128/,
      );
    }
    await expect(service.enqueue(grouped, { g: "a b" })).rejects.toThrow(
      /group id "a b" must be 1-128/,
    );
    await service.enqueue(sendEmail, { userId: "u" }, { id: "x".repeat(128) });
    expect(driver.calls).toHaveLength(1);
  });

  it("overrides the queue and carries meta", async () => {
    const { driver, service } = setup();
    const result = await service.enqueue(
      sendEmail,
      { userId: "u" },
      { queue: "emails", meta: { tenant: "t1", traceparent: "00-a-b-01" } },
    );
    expect(result.queue).toBe("emails");
    expect(driver.sent[0]?.queue).toBe("emails");
    expect(bodyOf(driver.sent[0]).meta).toEqual({ tenant: "t1", traceparent: "00-a-b-01" });
  });

  it("does not write an empty meta", async () => {
    const { driver, service } = setup();
    await service.enqueue(sendEmail, { userId: "u" }, { meta: {} });
    expect(bodyOf(driver.sent[0])).not.toHaveProperty("meta");
  });

  it("does not change the caller's meta object", async () => {
    const meta = { a: "1" };
    const { service } = setup(
      {},
      {
        hooks: [
          {
            onEnqueue: (event) => {
              for (const job of event.jobs) job.meta.added = "yes";
            },
          },
        ],
      },
    );
    await service.enqueue(sendEmail, { userId: "u" }, { meta });
    expect(meta).toEqual({ a: "1" });
  });

  it("accepts a job with an asynchronous schema", async () => {
    const asyncSchema: StandardSchemaV1<{ id: string }> = {
      "~standard": {
        version: 1,
        vendor: "test",
        validate: async (value) =>
          typeof (value as { id?: unknown }).id === "string"
            ? { value: value as { id: string } }
            : { issues: [{ message: "id must be a string", path: [{ key: "id" }] }] },
      },
    };
    const job = defineJob({ name: "async-job", schema: asyncSchema, handler: noop });
    const { driver, service } = setup();
    await service.enqueue(job, { id: "a" });
    expect(bodyOf(driver.sent[0]).payload).toEqual({ id: "a" });
    const error = await service.enqueue(job, { id: 1 } as never).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(InvalidJobPayloadError);
    expect((error as InvalidJobPayloadError).issues).toEqual([
      { message: "id must be a string", path: ["id"] },
    ]);
    expect(driver.calls).toHaveLength(1);
  });

  it("rejects an invalid payload with InvalidJobPayloadError and sends nothing", async () => {
    const onEnqueue = vi.fn();
    const { driver, service } = setup({}, { hooks: [{ onEnqueue }] });
    // @ts-expect-error userId must be a string
    const error = await service.enqueue(sendEmail, { userId: 1 }).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(InvalidJobPayloadError);
    const invalid = error as InvalidJobPayloadError;
    expect(invalid.jobName).toBe("send-email");
    expect(invalid.issues).toHaveLength(1);
    expect(invalid.issues[0]?.path).toEqual(["userId"]);
    expect(invalid.message).toMatch(/^Invalid payload for job "send-email": userId: .+/);
    expect(driver.calls).toEqual([]);
    expect(onEnqueue).not.toHaveBeenCalled();
  });

  it.each([
    ["a BigInt", { amount: 10n }, ["amount"], /BigInt/],
    ["a function", { callback: () => {} }, ["callback"], /function/],
    ["NaN", { score: Number.NaN }, ["score"], /NaN/],
    ["a Map", { lookup: new Map() }, ["lookup"], /Map/],
    ["undefined", undefined, [], /undefined/],
  ])("rejects a payload with %s and sends nothing", async (_label, payload, path, message) => {
    const { driver, service } = setup();
    const error = await service.enqueue(untyped, payload).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(InvalidJobPayloadError);
    expect((error as InvalidJobPayloadError).issues).toEqual([
      { message: expect.stringMatching(message), path },
    ]);
    expect(driver.calls).toEqual([]);
  });

  it("rejects a cyclic payload and sends nothing", async () => {
    const cyclic: Record<string, unknown> = { a: 1 };
    cyclic.self = cyclic;
    const { driver, service } = setup();
    const error = await service.enqueue(untyped, cyclic).catch((e: unknown) => e);
    expect(isJobError(error, "INVALID_PAYLOAD")).toBe(true);
    expect((error as InvalidJobPayloadError).issues).toEqual([
      { message: "circular reference", path: ["self"] },
    ]);
    expect(driver.calls).toEqual([]);
  });

  it("checks for non-JSON values before running the schema", async () => {
    const validate = vi.fn((value: unknown) => ({ value }));
    const job = defineJob({
      name: "spied",
      schema: { "~standard": { version: 1, vendor: "test", validate } },
      handler: noop,
    });
    const { service } = setup();
    await expect(service.enqueue(job, { big: 1n })).rejects.toBeInstanceOf(InvalidJobPayloadError);
    expect(validate).not.toHaveBeenCalled();
  });

  it("rejects a job whose name is not valid on the wire", async () => {
    const forged = { ...sendEmail, name: "bad name" } as AnyJobDefinition;
    const { driver, service } = setup();
    await expect(service.enqueue(forged, { userId: "u" })).rejects.toThrow(/Invalid job name/);
    expect(driver.calls).toEqual([]);
  });

  it("rejects with the transport's error when the message is refused", async () => {
    const refused = new Error("AccessDenied");
    const { driver, service } = setup({
      failures: [{ match: () => true, retryable: false, error: refused }],
    });
    await expect(service.enqueue(sendEmail, { userId: "u" })).rejects.toBe(refused);
    expect(driver.calls).toHaveLength(1);
  });

  it("re-sends a message that failed for a transient reason", async () => {
    const { driver, service } = setup({
      failures: [{ match: () => true, retryable: true, calls: 1 }],
    });
    const result = await service.enqueue(sendEmail, { userId: "u" });
    expect(driver.calls).toHaveLength(2);
    expect(driver.calls[1]).toEqual(driver.calls[0]);
    expect(result.messageId).toBe("msg-1");
  });

  it("rejects with the driver's error when the whole call is rejected", async () => {
    const down = new Error("network down");
    const { driver, service } = setup({ rejectCalls: { 1: down } });
    await expect(service.enqueue(sendEmail, { userId: "u" })).rejects.toBe(down);
    expect(driver.calls).toHaveLength(1);
  });
});

describe("delays", () => {
  it("enqueueIn '10m' delays by 600 seconds natively", async () => {
    const { driver, service } = setup();
    const result = await service.enqueueIn(sendEmail, { userId: "u" }, "10m");
    expect(driver.sent[0]?.delaySeconds).toBe(600);
    expect(bodyOf(driver.sent[0])).not.toHaveProperty("runAt");
    expect(result).toMatchObject({ delaySeconds: 600, runAt: undefined });
  });

  it("enqueueIn takes seconds and keeps the other options", async () => {
    const { driver, service } = setup();
    await service.enqueueIn(sendEmail, { userId: "u" }, 30, { id: "i", queue: "q" });
    expect(driver.sent[0]).toMatchObject({
      delaySeconds: 30,
      queue: "q",
      deduplicationId: "send-email/i",
    });
  });

  it("delays exactly maxDelaySeconds natively, without runAt", async () => {
    const { driver, service } = setup();
    const result = await service.enqueueIn(sendEmail, { userId: "u" }, "15m");
    expect(driver.sent[0]?.delaySeconds).toBe(900);
    expect(result.runAt).toBeUndefined();
    expect(bodyOf(driver.sent[0])).not.toHaveProperty("runAt");
  });

  it("beyond the driver's maximum, waits the maximum and carries runAt = now + delay", async () => {
    const { driver, service } = setup();
    const result = await service.enqueueIn(sendEmail, { userId: "u" }, "3d");
    const runAt = new Date(NOW + 3 * 86_400_000);
    expect(driver.sent[0]?.delaySeconds).toBe(900);
    expect(bodyOf(driver.sent[0]).runAt).toBe(runAt.toISOString());
    expect(result.delaySeconds).toBe(900);
    expect(result.runAt).toEqual(runAt);
  });

  it("one second beyond the maximum already carries runAt", async () => {
    const { driver, service } = setup();
    await service.enqueueIn(sendEmail, { userId: "u" }, 901);
    expect(driver.sent[0]?.delaySeconds).toBe(900);
    expect(bodyOf(driver.sent[0]).runAt).toBe(new Date(NOW + 901_000).toISOString());
  });

  it("follows the driver's maxDelaySeconds", async () => {
    const { driver, service } = setup({ maxDelaySeconds: 60 });
    await service.enqueueIn(sendEmail, { userId: "u" }, "2m");
    expect(driver.sent[0]?.delaySeconds).toBe(60);
    expect(bodyOf(driver.sent[0]).runAt).toBe(new Date(NOW + 120_000).toISOString());
  });

  it("rounds fractional seconds up: never early", async () => {
    const { driver, service } = setup();
    await service.enqueueIn(sendEmail, { userId: "u" }, 1.2);
    await service.enqueueIn(sendEmail, { userId: "u" }, 0.001);
    await service.enqueueAt(sendEmail, { userId: "u" }, new Date(NOW + 1_500));
    expect(driver.sent.map((m) => m.delaySeconds)).toEqual([2, 1, 2]);
  });

  it("enqueueAt a future date delays until then", async () => {
    const { driver, service } = setup();
    const result = await service.enqueueAt(sendEmail, { userId: "u" }, new Date(NOW + 120_000));
    expect(driver.sent[0]?.delaySeconds).toBe(120);
    expect(result).toMatchObject({ delaySeconds: 120, runAt: undefined });
  });

  it("enqueueAt a far date waits the maximum and carries runAt", async () => {
    const at = new Date(NOW + 86_400_000);
    const { driver, service } = setup();
    const result = await service.enqueueAt(sendEmail, { userId: "u" }, at);
    expect(driver.sent[0]?.delaySeconds).toBe(900);
    expect(bodyOf(driver.sent[0]).runAt).toBe(at.toISOString());
    expect(result.runAt).toEqual(at);
  });

  it("enqueueAt a past date sends at once", async () => {
    const { driver, service } = setup();
    const result = await service.enqueueAt(sendEmail, { userId: "u" }, new Date(NOW - 60_000));
    expect(driver.sent[0]).not.toHaveProperty("delaySeconds");
    expect(bodyOf(driver.sent[0])).not.toHaveProperty("runAt");
    expect(result).toMatchObject({ delaySeconds: 0, runAt: undefined });
  });

  it("rejects an invalid date or duration and sends nothing", async () => {
    const { driver, service } = setup();
    await expect(
      service.enqueueAt(sendEmail, { userId: "u" }, new Date("not a date")),
    ).rejects.toThrow(/valid Date/);
    await expect(service.enqueueIn(sendEmail, { userId: "u" }, -1)).rejects.toMatchObject({
      code: "INVALID_ENQUEUE_OPTIONS",
      option: "delay",
      cause: expect.any(RangeError),
    });
    await expect(
      service.enqueueIn(sendEmail, { userId: "u" }, "10 minutes" as "10m"),
    ).rejects.toThrow(/Job "send-email": Invalid duration "10 minutes"/);
    expect(driver.calls).toEqual([]);
  });
});

describe("size check", () => {
  const big = defineJob<{ data: string }>({ name: "big", handler: noop });
  // "glasswork.job" + "String" + "big"
  const ATTRIBUTE_BYTES = 13 + 6 + 3;
  const expectedBody = (data: string) =>
    `{"v":1,"id":"fixed","name":"big","payload":{"data":"${data}"},"enqueuedAt":"${NOW_ISO}"}`;
  const overhead = expectedBody("").length + ATTRIBUTE_BYTES;

  it.each([1_024, 262_144, 1_048_576])(
    "passes a message exactly at the limit (%i) and refuses one byte more",
    async (limit) => {
      const { driver, service } = setup({ maxMessageBytes: 1_048_576 }, { maxMessageBytes: limit });
      const atLimit = "x".repeat(limit - overhead);
      await service.enqueue(big, { data: atLimit }, { id: "fixed" });
      expect(driver.sent[0]?.body).toBe(expectedBody(atLimit));
      expect(Buffer.byteLength(driver.sent[0]?.body ?? "") + ATTRIBUTE_BYTES).toBe(limit);

      const error = await service
        .enqueue(big, { data: `${atLimit}x` }, { id: "fixed" })
        .catch((e: unknown) => e);
      expect(error).toBeInstanceOf(PayloadTooLargeError);
      const tooLarge = error as PayloadTooLargeError;
      expect(tooLarge.jobName).toBe("big");
      expect(tooLarge.size).toBe(limit + 1);
      expect(tooLarge.limit).toBe(limit);
      expect(tooLarge.message).toContain('"big"');
      expect(tooLarge.message).toContain(`${limit + 1} bytes`);
      expect(tooLarge.message).toContain(`${limit} bytes`);
      expect(tooLarge.message).toContain("IDs");
      expect(driver.calls).toHaveLength(1);
    },
  );

  it("counts UTF-8 bytes, not characters", async () => {
    const { driver, service } = setup({}, { maxMessageBytes: 1_024 });
    const fits = Math.floor((1_024 - overhead) / 2);
    await service.enqueue(big, { data: "é".repeat(fits) }, { id: "fixed" });
    const error = await service
      .enqueue(big, { data: "é".repeat(fits + 1) }, { id: "fixed" })
      .catch((e: unknown) => e);
    expect(error).toBeInstanceOf(PayloadTooLargeError);
    expect((error as PayloadTooLargeError).size).toBe(overhead + 2 * (fits + 1));
    // In characters it would have fitted.
    expect(overhead + fits + 1).toBeLessThan(1_024);
    expect(driver.calls).toHaveLength(1);
  });

  it("counts meta added by hooks", async () => {
    const limit = 1_024;
    const { driver, service } = setup(
      {},
      {
        maxMessageBytes: limit,
        hooks: [{ onEnqueue: (event) => void Object.assign(event.jobs[0]?.meta ?? {}, { k: "" }) }],
      },
    );
    const atLimitWithoutMeta = "x".repeat(limit - overhead);
    await expect(
      service.enqueue(big, { data: atLimitWithoutMeta }, { id: "fixed" }),
    ).rejects.toBeInstanceOf(PayloadTooLargeError);
    expect(driver.calls).toEqual([]);
  });

  it("applies the driver's smaller limit", async () => {
    const { driver, service } = setup({ maxMessageBytes: 2_048 }, { maxMessageBytes: 1_048_576 });
    const error = await service
      .enqueue(big, { data: "x".repeat(3_000) }, { id: "fixed" })
      .catch((e: unknown) => e);
    expect(error).toBeInstanceOf(PayloadTooLargeError);
    expect((error as PayloadTooLargeError).limit).toBe(2_048);
    expect(driver.calls).toEqual([]);
  });

  it("lets a raised limit through what the default refuses", async () => {
    const payload = { data: "x".repeat(300_000) };
    await expect(setup().service.enqueue(big, payload)).rejects.toBeInstanceOf(
      PayloadTooLargeError,
    );
    const { driver, service } = setup(
      { maxMessageBytes: 1_048_576 },
      { maxMessageBytes: 1_048_576 },
    );
    await service.enqueue(big, payload);
    expect(driver.calls).toHaveLength(1);
  });
});

describe("enqueueBatch", () => {
  it("sends 25 jobs in one driver call and returns results in input order", async () => {
    const { driver, service } = setup();
    const results = await service.enqueueBatch(numbered(25));
    expect(driver.calls).toHaveLength(1);
    expect(driver.calls[0]).toHaveLength(25);
    expect(driver.calls[0]?.map(userIdOf)).toEqual(Array.from({ length: 25 }, (_, i) => `u${i}`));
    expect(results).toHaveLength(25);
    expect(results.map((r) => r.jobId)).toEqual(Array.from({ length: 25 }, (_, i) => `job-${i}`));
    expect(results.map((r) => r.messageId)).toEqual(
      Array.from({ length: 25 }, (_, i) => `msg-${i + 1}`),
    );
  });

  it("sends nothing for no items", async () => {
    const { driver, service } = setup();
    expect(await service.enqueueBatch([])).toEqual([]);
    expect(driver.calls).toEqual([]);
  });

  it("mixes jobs, queues and options in one call, with one clock reading", async () => {
    const { driver, service } = setup();
    const items: EnqueueItem[] = [
      { job: sendEmail, payload: { userId: "a" } },
      { job: count, payload: { n: "1" } },
      { job: sendEmail, payload: { userId: "b" }, options: { delay: "1m", queue: "slow" } },
    ];
    const results = await service.enqueueBatch(items);
    expect(driver.calls).toHaveLength(1);
    expect(driver.sent.map((m) => [m.queue, m.delaySeconds])).toEqual([
      ["default", undefined],
      ["counts.fifo", undefined],
      ["slow", 60],
    ]);
    expect(driver.sent.map((m) => bodyOf(m).enqueuedAt)).toEqual([NOW_ISO, NOW_ISO, NOW_ISO]);
    expect(results.map((r) => r.jobName)).toEqual(["send-email", "count", "send-email"]);
  });

  it("reports exactly which items failed and still sends the valid ones", async () => {
    const refused = new Error("refused by the transport");
    const { driver, service } = setup({
      failures: [{ match: forUsers("refused"), retryable: false, error: refused }],
    });
    const items: EnqueueItem[] = [
      { job: sendEmail, payload: { userId: "ok-0" } },
      { job: sendEmail, payload: { userId: 1 } }, // invalid for the schema
      { job: sendEmail, payload: { userId: "refused" } }, // refused by the transport
      { job: sendEmail, payload: { userId: "ok-3" } },
      { job: sendEmail, payload: { userId: "x".repeat(300_000) } }, // too large
      { job: untyped, payload: { n: 1n } }, // not JSON
    ];
    const error = await batchError(service.enqueueBatch(items));

    expect(error.results.map((r) => [r.index, r.ok])).toEqual([
      [0, true],
      [1, false],
      [2, false],
      [3, true],
      [4, false],
      [5, false],
    ]);
    expect(error.succeeded.map((r) => r.index)).toEqual([0, 3]);
    expect(error.failed.map((r) => r.index)).toEqual([1, 2, 4, 5]);
    const [invalid, transport, tooLarge, nonJson] = error.failed.map((r) => r.error);
    expect(invalid).toBeInstanceOf(InvalidJobPayloadError);
    expect(transport).toBe(refused);
    expect(tooLarge).toBeInstanceOf(PayloadTooLargeError);
    expect(nonJson).toBeInstanceOf(InvalidJobPayloadError);
    expect(error.message).toMatch(/^4 of 6 jobs could not be enqueued\. First failure \(item 1\)/);

    // Only the encodable items reached the driver, once: a refusal is not re-sent.
    expect(driver.calls).toHaveLength(1);
    expect(driver.calls[0]?.map(userIdOf)).toEqual(["ok-0", "refused", "ok-3"]);
    expect(driver.accepted.map(userIdOf)).toEqual(["ok-0", "ok-3"]);
    const ok = error.succeeded.map((r) => r.value.messageId);
    expect(ok).toEqual(["msg-1", "msg-2"]);
  });

  it("re-sends only the retryable failures, and every job ends sent exactly once", async () => {
    const { driver, service } = setup({
      failures: [{ match: forUsers("u2", "u5", "u7"), retryable: true, calls: 1 }],
    });
    const results = await service.enqueueBatch(numbered(10));
    expect(driver.calls.map((c) => c.map(userIdOf))).toEqual([
      ["u0", "u1", "u2", "u3", "u4", "u5", "u6", "u7", "u8", "u9"],
      ["u2", "u5", "u7"],
    ]);
    for (const message of driver.calls[0] ?? []) {
      expect(driver.acceptedCount(message.body)).toBe(1);
      expect(driver.sendCount(message.body)).toBe(
        ["u2", "u5", "u7"].includes(userIdOf(message)) ? 2 : 1,
      );
    }
    expect(results.map((r) => r.jobId)).toEqual(Array.from({ length: 10 }, (_, i) => `job-${i}`));
    expect(new Set(results.map((r) => r.messageId)).size).toBe(10);
  });

  it("keeps re-sending while retries remain", async () => {
    const { driver, service } = setup({
      failures: [{ match: forUsers("u1"), retryable: true, calls: 3 }],
    });
    await service.enqueueBatch(numbered(3));
    expect(driver.calls.map((c) => c.map(userIdOf))).toEqual([
      ["u0", "u1", "u2"],
      ["u1"],
      ["u1"],
      ["u1"],
    ]);
    expect(driver.accepted.map(userIdOf)).toEqual(["u0", "u2", "u1"]);
  });

  it("gives up after 3 re-sends by default and reports the last error", async () => {
    const throttled = new Error("throttled");
    const { driver, service } = setup({
      failures: [{ match: forUsers("u1"), retryable: true, error: throttled }],
    });
    const error = await batchError(service.enqueueBatch(numbered(3)));
    expect(driver.calls).toHaveLength(4);
    expect(error.failed).toEqual([{ ok: false, index: 1, error: throttled }]);
    expect(error.succeeded.map((r) => r.index)).toEqual([0, 2]);
  });

  it("does not re-send a non-retryable failure, even among retryable ones", async () => {
    const { driver, service } = setup({
      failures: [
        { match: forUsers("u0"), retryable: false },
        { match: forUsers("u1"), retryable: true, calls: 1 },
      ],
    });
    const error = await batchError(service.enqueueBatch(numbered(3)));
    expect(driver.calls.map((c) => c.map(userIdOf))).toEqual([["u0", "u1", "u2"], ["u1"]]);
    expect(error.failed.map((r) => r.index)).toEqual([0]);
    expect(error.succeeded.map((r) => r.index)).toEqual([1, 2]);
  });

  it("with sendRetries: 0, does not re-send", async () => {
    const { driver, service } = setup(
      { failures: [{ match: forUsers("u1"), retryable: true, calls: 1 }] },
      { sendRetries: 0 },
    );
    const error = await batchError(service.enqueueBatch(numbered(3)));
    expect(driver.calls).toHaveLength(1);
    expect(error.failed.map((r) => r.index)).toEqual([1]);
  });

  it("with sendRetries: 1, re-sends once", async () => {
    const { driver, service } = setup(
      { failures: [{ match: forUsers("u1"), retryable: true, calls: 2 }] },
      { sendRetries: 1 },
    );
    const error = await batchError(service.enqueueBatch(numbered(3)));
    expect(driver.calls).toHaveLength(2);
    expect(error.failed.map((r) => r.index)).toEqual([1]);
  });

  it("turns a rejected driver call into a failure of every item", async () => {
    const down = new Error("network down");
    const { driver, service } = setup({ rejectCalls: { 1: down } });
    const error = await batchError(service.enqueueBatch(numbered(4)));
    expect(driver.calls).toHaveLength(1);
    expect(error.succeeded).toEqual([]);
    expect(error.failed.map((r) => [r.index, r.error])).toEqual([
      [0, down],
      [1, down],
      [2, down],
      [3, down],
    ]);
  });

  it("wraps a rejection that is not an Error", async () => {
    const { service } = setup({ rejectCalls: { 1: "socket closed" } });
    const error = await batchError(service.enqueueBatch(numbered(2)));
    expect(error.failed.map((r) => r.error.message)).toEqual(["socket closed", "socket closed"]);
    expect(error.failed[0]?.error).toBeInstanceOf(Error);
  });

  it("re-sends after a rejected call when the driver says it is retryable", async () => {
    const throttled = new QueueDriverError("default", "SendMessageBatch", "throttled", {
      retryable: true,
    });
    const { driver, service } = setup({ rejectCalls: { 1: throttled } });
    const results = await service.enqueueBatch(numbered(3));
    expect(driver.calls.map((c) => c.map(userIdOf))).toEqual([
      ["u0", "u1", "u2"],
      ["u0", "u1", "u2"],
    ]);
    expect(results).toHaveLength(3);
    for (const message of driver.calls[0] ?? []) expect(driver.acceptedCount(message.body)).toBe(1);
  });

  it("does not re-send after a rejected call with a non-retryable driver error", async () => {
    const denied = new QueueDriverError("default", "SendMessageBatch", "denied");
    const { driver, service } = setup({ rejectCalls: { 1: denied } });
    const error = await batchError(service.enqueueBatch(numbered(2)));
    expect(driver.calls).toHaveLength(1);
    expect(error.failed.map((r) => r.error)).toEqual([denied, denied]);
  });

  it("reports items a misbehaving driver returned no result for", async () => {
    class ShortDriver extends FakeQueueDriver {
      override async send(messages: readonly OutgoingMessage[]): Promise<SendResult[]> {
        return (await super.send(messages)).slice(0, 1);
      }
    }
    const service = new JobService(new ShortDriver(), { now: () => NOW });
    const error = await batchError(service.enqueueBatch(numbered(2)));
    expect(error.succeeded.map((r) => r.index)).toEqual([0]);
    expect(isJobError(error.failed[0]?.error, "QUEUE_DRIVER")).toBe(true);
    expect(error.failed[0]?.error.message).toMatch(/the driver returned no result$/);
  });
});

describe("producer hooks", () => {
  it("runs onEnqueue in order before encoding and onEnqueued in reverse after sending", async () => {
    const order: string[] = [];
    let driverCallsSeen: number[] = [];
    const hook = (name: string): ProducerHooks => ({
      onEnqueue: (event) => {
        order.push(`${name}.onEnqueue`);
        driverCallsSeen.push(driver.calls.length);
        for (const job of event.jobs) job.meta[name] = "1";
      },
      onEnqueued: async () => {
        await Promise.resolve();
        order.push(`${name}.onEnqueued`);
        driverCallsSeen.push(driver.calls.length);
      },
    });
    const { driver, service } = setup({}, { hooks: [hook("a"), hook("b"), hook("c")] });
    driverCallsSeen = [];
    await service.enqueue(sendEmail, { userId: "u" }, { meta: { user: "x" } });
    expect(order).toEqual([
      "a.onEnqueue",
      "b.onEnqueue",
      "c.onEnqueue",
      "c.onEnqueued",
      "b.onEnqueued",
      "a.onEnqueued",
    ]);
    expect(driverCallsSeen).toEqual([0, 0, 0, 1, 1, 1]);
    expect(bodyOf(driver.sent[0]).meta).toEqual({ user: "x", a: "1", b: "1", c: "1" });
  });

  it("awaits an asynchronous onEnqueue before encoding", async () => {
    const { driver, service } = setup(
      {},
      {
        hooks: [
          {
            onEnqueue: async (event) => {
              await new Promise((resolve) => setTimeout(resolve, 0));
              for (const job of event.jobs) job.meta.traceparent = "00-trace-span-01";
            },
          },
        ],
      },
    );
    await service.enqueue(sendEmail, { userId: "u" });
    expect(bodyOf(driver.sent[0]).meta).toEqual({ traceparent: "00-trace-span-01" });
  });

  it("passes the same event to both hooks, and results per job of the event", async () => {
    const events: EnqueueEvent[] = [];
    let seen: readonly EnqueueItemResult<EnqueuedJob>[] = [];
    const refused = new Error("refused");
    const { service } = setup(
      { failures: [{ match: forUsers("refused"), retryable: false, error: refused }] },
      {
        hooks: [
          {
            onEnqueue: (event) => void events.push(event),
            onEnqueued: (event, results) => {
              events.push(event);
              seen = results;
            },
          },
        ],
      },
    );
    const items: EnqueueItem[] = [
      { job: sendEmail, payload: { userId: "a" }, options: { id: "id-a" } },
      { job: sendEmail, payload: { userId: 5 } }, // invalid: not in the event
      { job: sendEmail, payload: { userId: "refused" }, options: { id: "id-r", delay: "1h" } },
      { job: sendEmail, payload: { userId: "x".repeat(300_000) }, options: { id: "id-big" } },
    ];
    await batchError(service.enqueueBatch(items));

    expect(events).toHaveLength(2);
    expect(events[1]).toBe(events[0]);
    const event = events[0];
    expect(event?.operation).toBe("enqueueBatch");
    expect(event?.jobs.map((j) => j.jobId)).toEqual(["id-a", "id-r", "id-big"]);
    expect(event?.jobs[1]).toEqual({
      jobName: "send-email",
      jobId: "id-r",
      queue: "default",
      payload: { userId: "refused" },
      delaySeconds: 900,
      runAt: new Date(NOW + 3_600_000),
      meta: {},
    });
    expect(seen.map((r) => [r.index, r.ok])).toEqual([
      [0, true],
      [2, false],
      [3, false],
    ]);
    expect(seen[1]).toEqual({ ok: false, index: 2, error: refused });
    expect(seen[2]?.ok === false && seen[2].error).toBeInstanceOf(PayloadTooLargeError);
  });

  it("tells hooks which operation it is", async () => {
    const operations: string[] = [];
    const { service } = setup(
      {},
      { hooks: [{ onEnqueue: (event) => void operations.push(event.operation) }] },
    );
    await service.enqueue(sendEmail, { userId: "u" });
    await service.enqueueIn(sendEmail, { userId: "u" }, 5);
    await service.enqueueBatch(numbered(2));
    expect(operations).toEqual(["enqueue", "enqueue", "enqueueBatch"]);
  });

  it("does not call hooks when no item is valid", async () => {
    const onEnqueue = vi.fn();
    const onEnqueued = vi.fn();
    const { service } = setup({}, { hooks: [{ onEnqueue, onEnqueued }] });
    await batchError(service.enqueueBatch([{ job: sendEmail, payload: { userId: 1 } as never }]));
    expect(onEnqueue).not.toHaveBeenCalled();
    expect(onEnqueued).not.toHaveBeenCalled();
  });

  it("logs a throwing hook and sends exactly what it would have sent without it", async () => {
    const reference = setup();
    await reference.service.enqueue(sendEmail, { userId: "u" }, { id: "same", meta: { a: "b" } });

    const logger = spyLogger();
    const syncFailure = new Error("hook bug");
    const asyncFailure = new Error("async hook bug");
    const after = vi.fn();
    const { driver, service } = setup(
      {},
      {
        logger,
        hooks: [
          {
            onEnqueue: () => {
              throw syncFailure;
            },
            onEnqueued: async () => {
              throw asyncFailure;
            },
          },
          { onEnqueued: after },
        ],
      },
    );
    const result = await service.enqueue(
      sendEmail,
      { userId: "u" },
      { id: "same", meta: { a: "b" } },
    );

    expect(driver.sent).toEqual(reference.driver.sent);
    expect(result).toMatchObject({ jobId: "same", messageId: "msg-1" });
    expect(after).toHaveBeenCalledTimes(1);
    expect(logger.error).toHaveBeenCalledTimes(2);
    expect(logger.error).toHaveBeenNthCalledWith(
      1,
      { err: syncFailure, hook: "onEnqueue" },
      "producer hook onEnqueue failed",
    );
    expect(logger.error).toHaveBeenNthCalledWith(
      2,
      { err: asyncFailure, hook: "onEnqueued" },
      "producer hook onEnqueued failed",
    );
  });

  it("logs a hook failure as JSON by default, and still sends", async () => {
    const log = vi.spyOn(console, "log").mockImplementation(() => {});
    const error = vi.spyOn(console, "error").mockImplementation(() => {});
    const { driver, service } = setup(
      {},
      {
        hooks: [
          {
            onEnqueue: () => {
              throw new Error("x");
            },
          },
        ],
      },
    );
    await service.enqueue(sendEmail, { userId: "u" });
    expect(driver.calls).toHaveLength(1);
    expect(log).toHaveBeenCalledTimes(1);
    expect(JSON.parse(String(log.mock.calls[0]?.[0]))).toMatchObject({
      level: "error",
      hook: "onEnqueue",
      err: { message: "x" },
    });
    expect(error).not.toHaveBeenCalled();
    log.mockRestore();
    error.mockRestore();
  });
});

describe("what the worker would refuse is refused at enqueue", () => {
  const dated = defineJob({ name: "dated", schema: v.object({ at: v.date() }), handler: noop });

  it("refuses a Date, which the handler would receive as a string", async () => {
    const { driver, service } = setup();
    await expect(service.enqueue(dated, { at: new Date() })).rejects.toThrow(
      /at: a Date arrives in the handler as a string/,
    );
    expect(driver.calls).toEqual([]);
  });

  it("refuses meta keys the envelope decoder rejects", async () => {
    const { driver, service } = setup();
    await expect(
      service.enqueue(sendEmail, { userId: "u" }, { meta: JSON.parse('{"constructor":"x"}') }),
    ).rejects.toThrow(/meta.constructor must be a string under an allowed key/);
    expect(driver.calls).toEqual([]);
  });
});
