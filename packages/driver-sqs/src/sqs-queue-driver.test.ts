import { SQSClient } from "@aws-sdk/client-sqs";
import {
  DEAD_LETTER_ATTRIBUTES,
  isJobError,
  type OutgoingMessage,
  type QueueDriverError,
  type ReceivedMessage,
} from "@glasswork/core";
import { DEAD_LETTER_ERROR_MAX_LENGTH } from "@glasswork/core/internal";
import { afterAll, beforeAll, beforeEach, describe, expect, it, vi } from "vitest";
import { SQSQueueDriver } from "./sqs-queue-driver.js";
import type { SQSQueueDriverOptions } from "./sqs-queue-driver-options.js";
import {
  type FauxqsTestServer,
  startFauxqsTestServer,
  type TestQueue,
  type TestQueueSet,
} from "./test-fauxqs.js";
import { failBatchEntries, recordCommands } from "./test-middleware.js";

let sqs: FauxqsTestServer;
let queues: TestQueueSet;
const drivers: SQSQueueDriver[] = [];

beforeAll(async () => {
  sqs = await startFauxqsTestServer();
});
afterAll(async () => {
  await Promise.all(drivers.map((d) => d.dispose()));
  await sqs.stop();
});
beforeEach(async () => {
  queues = await sqs.createQueueSet("driver");
  sqs.resetRequestCounts();
});

function makeDriver(options: SQSQueueDriverOptions = {}): SQSQueueDriver {
  const driver = new SQSQueueDriver({
    ...sqs.clientConfig,
    queues: {
      jobs: queues.queue.url,
      plain: queues.plain.url,
      "ordered.fifo": queues.fifo.url,
      small: queues.small.url,
    },
    ...options,
  });
  drivers.push(driver);
  return driver;
}

const message = (queue: string, body: string, extra: Partial<OutgoingMessage> = {}) => ({
  queue,
  body,
  attributes: { "glasswork.job": "test" },
  ...extra,
});

async function drain(driver: SQSQueueDriver, queue: string, expected: number) {
  const received: ReceivedMessage[] = [];
  for (let tries = 0; tries < 20 && received.length < expected; tries++) {
    received.push(...(await driver.receive(queue, { maxMessages: 10, waitTimeSeconds: 1 })));
  }
  return received;
}

function failure(result: unknown): QueueDriverError {
  const r = result as { ok: boolean; error?: unknown };
  if (r.ok || !isJobError(r.error, "QUEUE_DRIVER")) {
    throw new Error(`expected a QueueDriverError result, got ${JSON.stringify(result)}`);
  }
  return r.error as QueueDriverError;
}

describe("send", () => {
  it("sends one message with SendMessage and string attributes", async () => {
    const driver = makeDriver();
    const [result] = await driver.send([message("jobs", '{"one":1}')]);
    expect(result).toEqual({ ok: true, messageId: expect.any(String) });
    expect(sqs.requestCount("SendMessage")).toBe(1);
    expect(sqs.requestCount("SendMessageBatch")).toBe(0);

    const [received] = await drain(driver, "jobs", 1);
    expect(received).toMatchObject({ body: '{"one":1}', attributes: { "glasswork.job": "test" } });
  });

  it("sends 25 messages in 3 SendMessageBatch requests, results in input order", async () => {
    const driver = makeDriver();
    const commands = recordCommands(await driver.getClient());
    const bodies = Array.from({ length: 25 }, (_, i) => `{"n":${i}}`);
    const results = await driver.send(bodies.map((body) => message("jobs", body)));

    expect(sqs.requestCount("SendMessageBatch")).toBe(3);
    const batches = commands.filter((c) => c.name === "SendMessageBatch");
    expect(batches.map((c) => (c.input.Entries as unknown[]).length)).toEqual([10, 10, 5]);
    expect(results.every((r) => r.ok)).toBe(true);

    const received = await drain(driver, "jobs", 25);
    const idOf = new Map(received.map((m) => [m.body, m.messageId]));
    expect(results.map((r) => (r.ok ? r.messageId : ""))).toEqual(bodies.map((b) => idOf.get(b)));
  });

  it("keeps every batch request within maxMessageBytes", async () => {
    const driver = makeDriver();
    const commands = recordCommands(await driver.getClient());
    const body = JSON.stringify({ data: "x".repeat(100_000) });
    const results = await driver.send(Array.from({ length: 5 }, () => message("jobs", body)));

    expect(results.every((r) => r.ok)).toBe(true);
    // Two 100 KB messages fit in 256 KiB, three do not.
    const sizes = commands
      .filter((c) => c.name.startsWith("SendMessage"))
      .map((c) => (c.name === "SendMessage" ? 1 : (c.input.Entries as unknown[]).length));
    expect(sizes).toEqual([2, 2, 1]);
  });

  it("groups messages by queue and answers in input order", async () => {
    const driver = makeDriver();
    const input = Array.from({ length: 6 }, (_, i) =>
      message(i % 2 === 0 ? "jobs" : "plain", `{"i":${i}}`),
    );
    const results = await driver.send(input);
    expect(results.every((r) => r.ok)).toBe(true);
    expect(sqs.requestCount("SendMessageBatch")).toBe(2);

    const [jobs, plain] = await Promise.all([drain(driver, "jobs", 3), drain(driver, "plain", 3)]);
    expect(jobs.map((m) => m.body).sort()).toEqual(['{"i":0}', '{"i":2}', '{"i":4}']);
    expect(plain.map((m) => m.body).sort()).toEqual(['{"i":1}', '{"i":3}', '{"i":5}']);
  });

  it("passes FIFO group and deduplication ids, and ignores them on standard queues", async () => {
    const driver = makeDriver();
    const commands = recordCommands(await driver.getClient());
    await driver.send([
      message("ordered.fifo", "{}", { groupId: "user-1", deduplicationId: "job-1" }),
      message("jobs", "{}", { groupId: "user-1", deduplicationId: "job-2" }),
    ]);
    const inputs = commands.map((c) => c.input);
    expect(inputs).toContainEqual(
      expect.objectContaining({ MessageGroupId: "user-1", MessageDeduplicationId: "job-1" }),
    );
    const standard = inputs.find((i) => i.QueueUrl === queues.queue.url);
    expect(standard).not.toHaveProperty("MessageGroupId");
    expect(standard).not.toHaveProperty("MessageDeduplicationId");

    const [fifo] = await drain(driver, "ordered.fifo", 1);
    expect(fifo).toMatchObject({ groupId: "user-1", deduplicationId: "job-1" });
    expect(fifo?.sequenceNumber).toEqual(expect.any(String));
  });

  it("keeps a FIFO group's order across several batch requests", async () => {
    const driver = makeDriver({ concurrency: 5 });
    const bodies = Array.from({ length: 25 }, (_, i) => `{"seq":${i}}`);
    const results = await driver.send(
      bodies.map((body, i) =>
        message("ordered.fifo", body, { groupId: "g", deduplicationId: `d${i}` }),
      ),
    );
    expect(results.every((r) => r.ok)).toBe(true);

    // fauxqs hands out one message per group at a time, so receive and delete one by one.
    const received: string[] = [];
    while (received.length < bodies.length) {
      const [next] = await driver.receive("ordered.fifo", { maxMessages: 10 });
      if (!next) break;
      received.push(next.body);
      await driver.delete("ordered.fifo", [next.receiptHandle]);
    }
    expect(received).toEqual(bodies);
  });

  it("holds back a FIFO group's later messages after a failed request, so a retry keeps the order", async () => {
    const driver = makeDriver();
    let batches = 0;
    (await driver.getClient()).middlewareStack.add(
      (next, context) => async (args) => {
        // The second request of the call fails as a whole, as a throttled request does.
        if (context.commandName === "SendMessageBatchCommand" && ++batches === 2) {
          throw Object.assign(new Error("Rate exceeded"), { name: "ThrottlingException" });
        }
        return next(args);
      },
      { step: "initialize", name: "throttleSecondBatch" },
    );
    const all = Array.from({ length: 25 }, (_, i) =>
      message("ordered.fifo", `{"seq":${i}}`, {
        groupId: i % 2 ? "odd" : "even",
        deduplicationId: `d${i}`,
      }),
    );
    const results = await driver.send(all);
    expect(results.map((r) => r.ok)).toEqual(all.map((_, i) => i < 10));
    expect(results.slice(10).every((r) => !r.ok && r.retryable)).toBe(true);
    expect(batches).toBe(2); // the third chunk was held back, not sent
    expect((await driver.send(all.slice(10))).every((r) => r.ok)).toBe(true);

    const received: string[] = [];
    for (let tries = 0; tries < 60 && received.length < all.length; tries++) {
      const batch = await driver.receive("ordered.fifo", { maxMessages: 10 });
      received.push(...batch.map((m) => m.body));
      if (batch.length > 0)
        await driver.delete(
          "ordered.fifo",
          batch.map((m) => m.receiptHandle),
        );
    }
    const seqOf = (group: number) =>
      received.map((b) => JSON.parse(b).seq).filter((n) => n % 2 === group);
    expect(seqOf(0)).toEqual(all.map((_, i) => i).filter((n) => n % 2 === 0));
    expect(seqOf(1)).toEqual(all.map((_, i) => i).filter((n) => n % 2 === 1));
  });

  it("refuses a per-message delay on a FIFO queue without sending it", async () => {
    const driver = makeDriver();
    const [result] = await driver.send([
      message("ordered.fifo", "{}", { groupId: "g", deduplicationId: "d", delaySeconds: 30 }),
    ]);
    const error = failure(result);
    expect(error.message).toMatch(/FIFO queues do not support per-message delay/);
    expect(error.message).toMatch(/enqueueIn/);
    expect(result).toMatchObject({ retryable: false });
    expect(sqs.requestCount("SendMessage") + sqs.requestCount("SendMessageBatch")).toBe(0);
  });

  it("refuses a delay beyond 900 seconds (which fauxqs would accept)", async () => {
    const driver = makeDriver();
    const [result] = await driver.send([message("jobs", "{}", { delaySeconds: 901 })]);
    expect(failure(result).message).toMatch(/delaySeconds must be a whole number from 0 to 900/);
  });

  it("refuses a message over maxMessageBytes before sending, and sends the rest", async () => {
    const driver = makeDriver();
    const results = await driver.send([
      message("jobs", "x".repeat(262_144)),
      message("jobs", '{"fine":true}'),
    ]);
    expect(failure(results[0]).message).toMatch(/over the driver's maxMessageBytes of 262144/);
    expect(results[0]).toMatchObject({ retryable: false });
    expect(results[1]).toMatchObject({ ok: true });
    expect(sqs.requestCount("SendMessage")).toBe(1);
  });

  it("maps the server's rejection of an oversized message to a clear error", async () => {
    const driver = makeDriver({ maxMessageBytes: 1_048_576 });
    const big = "x".repeat(300_000);

    const [single] = await driver.send([message("small", big)]);
    const error = failure(single);
    expect(error.message).toMatch(
      /^send on queue "small" failed: the message is larger than the queue accepts/,
    );
    expect(error.message).toMatch(/MaximumMessageSize/);
    expect(error.retryable).toBe(false);
    expect(error.cause).toBeInstanceOf(Error);

    const batch = await driver.send([message("small", big), message("small", "{}")]);
    expect(failure(batch[0]).message).toMatch(/larger than the queue accepts/);
    expect(batch[0]).toMatchObject({ retryable: false });
    expect(batch[1]).toMatchObject({ ok: true });
  });

  it("marks entries SQS failed without sender fault as retryable", async () => {
    const driver = makeDriver();
    failBatchEntries(await driver.getClient(), { ids: ["1"] });
    failBatchEntries(await driver.getClient(), {
      ids: ["2"],
      senderFault: true,
      code: "InvalidParameterValue",
    });
    const results = await driver.send([0, 1, 2].map((i) => message("jobs", `{"i":${i}}`)));
    expect(results[0]).toMatchObject({ ok: true });
    expect(results[1]).toMatchObject({ ok: false, retryable: true });
    expect(failure(results[1]).message).toMatch(/InternalError: injected/);
    expect(results[2]).toMatchObject({ ok: false, retryable: false });
  });

  it("fails every message of a missing queue with a clear error, and sends the others", async () => {
    const driver = makeDriver();
    const results = await driver.send([message("no-such-queue", "{}"), message("jobs", "{}")]);
    const error = failure(results[0]);
    expect(error.message).toContain(
      'queue "no-such-queue" does not exist — create it or check the queues option',
    );
    expect(error).toMatchObject({ queue: "no-such-queue", operation: "send", retryable: false });
    expect(results[1]).toMatchObject({ ok: true });
  });
});

describe("queue names", () => {
  it("accepts logical names, physical names and URLs, and answers with the caller's name", async () => {
    const driver = makeDriver();
    await driver.send([message("jobs", '{"a":1}'), message(queues.queue.name, '{"a":2}')]);
    await driver.send([message(queues.queue.url, '{"a":3}')]);
    expect(sqs.requestCount("GetQueueUrl")).toBe(0);

    const [received] = await driver.receive(queues.queue.name, { maxMessages: 1 });
    expect(received?.queue).toBe(queues.queue.name);
    const rest = await drain(driver, queues.queue.url, 2);
    expect(rest.every((m) => m.queue === queues.queue.url)).toBe(true);
    expect(rest.length + 1).toBe(3);
  });

  it("looks up an unconfigured queue with GetQueueUrl once", async () => {
    const driver = makeDriver();
    await driver.send([message(queues.deadLetter.name, "{}")]);
    await driver.send([message(queues.deadLetter.name, "{}")]);
    await driver.stats(queues.deadLetter.name);
    expect(sqs.requestCount("GetQueueUrl")).toBe(1);
  });

  it("finds a queue created after a failed lookup", async () => {
    const driver = makeDriver();
    const later = await sqs.createQueue("later");
    const name = `${later.name}-x`;
    await expect(driver.stats(name)).rejects.toThrow(/does not exist/);
    await sqs.client.send(
      new (await import("@aws-sdk/client-sqs")).CreateQueueCommand({ QueueName: name }),
    );
    await expect(driver.stats(name)).resolves.toEqual({ visible: 0, inFlight: 0, delayed: 0 });
  });

  it("reports a configured URL of a missing queue clearly", async () => {
    const driver = makeDriver({
      queues: { gone: queues.queue.url.replace(queues.queue.name, "gone-queue") },
    });
    const error = await driver.receive("gone").catch((e: unknown) => e);
    expect(isJobError(error, "QUEUE_DRIVER")).toBe(true);
    expect((error as Error).message).toBe(
      'receive on queue "gone" failed: queue "gone" does not exist — create it or check the queues option (QueueDoesNotExist: The specified queue does not exist.)',
    );
  });
});

describe("receive", () => {
  it("asks for all message attributes and the system attributes by their current name", async () => {
    const driver = makeDriver();
    const commands = recordCommands(await driver.getClient());
    await driver.receive("jobs", {
      maxMessages: 3,
      waitTimeSeconds: 0,
      visibilityTimeoutSeconds: 7,
    });
    const [receive] = commands;
    expect(receive?.input).toMatchObject({
      MaxNumberOfMessages: 3,
      WaitTimeSeconds: 0,
      VisibilityTimeout: 7,
      MessageAttributeNames: ["All"],
      MessageSystemAttributeNames: expect.arrayContaining([
        "ApproximateReceiveCount",
        "SentTimestamp",
        "ApproximateFirstReceiveTimestamp",
        "SenderId",
        "MessageGroupId",
        "MessageDeduplicationId",
        "SequenceNumber",
      ]),
    });
    expect(receive?.input).not.toHaveProperty("AttributeNames");
  });

  it("carries timestamps, sender and receive counts", async () => {
    const driver = makeDriver();
    const before = Date.now();
    await driver.send([message("jobs", "{}")]);
    const [first] = await drain(driver, "jobs", 1);
    expect(first).toMatchObject({ receiveCount: 1, senderId: expect.any(String) });
    expect(first?.sentTimestamp).toBeGreaterThanOrEqual(before - 1000);
    expect(first?.firstReceiveTimestamp).toBeGreaterThanOrEqual(first?.sentTimestamp ?? 0);

    await driver.changeVisibility("jobs", first?.receiptHandle ?? "", 0);
    const [second] = await drain(driver, "jobs", 1);
    expect(second).toMatchObject({ messageId: first?.messageId, receiveCount: 2 });
    expect(second?.firstReceiveTimestamp).toBe(first?.firstReceiveTimestamp);
  });

  it("long-polls until a message arrives", async () => {
    const driver = makeDriver();
    const started = Date.now();
    setTimeout(() => void driver.send([message("jobs", '{"late":1}')]), 300);
    const received = await driver.receive("jobs", { waitTimeSeconds: 5 });
    expect(received.map((m) => m.body)).toEqual(['{"late":1}']);
    expect(Date.now() - started).toBeLessThan(4_000);
  });

  it("ends a long poll with [] when its signal aborts", async () => {
    const driver = makeDriver();
    const controller = new AbortController();
    const started = Date.now();
    setTimeout(() => controller.abort(), 200);
    const received = await driver.receive("jobs", {
      waitTimeSeconds: 20,
      signal: controller.signal,
    });
    expect(received).toEqual([]);
    expect(Date.now() - started).toBeLessThan(2_000);

    const commands = recordCommands(await driver.getClient());
    expect(await driver.receive("jobs", { signal: AbortSignal.abort() })).toEqual([]);
    expect(commands).toEqual([]);
  });

  it("caps visibility timeouts at 12 hours", async () => {
    const driver = makeDriver();
    const commands = recordCommands(await driver.getClient());
    await driver.send([message("jobs", "{}")]);
    const [received] = await drain(driver, "jobs", 1);
    await driver.changeVisibility("jobs", received?.receiptHandle ?? "", 100_000);
    expect(commands.find((c) => c.name === "ChangeMessageVisibility")?.input).toMatchObject({
      VisibilityTimeout: 43_200,
    });
  });
});

describe("a client with cacheMiddleware", () => {
  it("serves every request from the client's resolved middleware, so the SDK's cache works", async () => {
    // The SDK reuses a command's resolved middleware only for a send without options: a driver
    // that passed `{}` would resolve the whole stack again on every request.
    const client = new SQSClient({ ...sqs.clientConfig, cacheMiddleware: true });
    const driver = new SQSQueueDriver({ client, queues: { jobs: queues.queue.url } });
    const everyRequest = async () => {
      await driver.send([message("jobs", "{}"), message("jobs", "{}")]);
      await driver.send([message("jobs", "{}")]);
      const received = await drain(driver, "jobs", 3);
      await driver.changeVisibility("jobs", received[0]?.receiptHandle ?? "", 60);
      await driver.delete(
        "jobs",
        received.map((m) => m.receiptHandle),
      );
    };
    await everyRequest();
    // Middleware added after a command's first request is not in its cached handler: if the
    // recorder sees nothing, every request of the second round used the cache.
    const commands = recordCommands(client);
    await everyRequest();
    expect(commands).toEqual([]);

    // An abort signal is a send option: that receive resolves the stack (and sees the recorder).
    expect(await driver.receive("jobs", { signal: new AbortController().signal })).toEqual([]);
    expect(commands.map((c) => c.name)).toEqual(["ReceiveMessage"]);
    client.destroy();
  });
});

describe("delete", () => {
  it("deletes in DeleteMessageBatch requests of 10", async () => {
    const driver = makeDriver();
    await driver.send(Array.from({ length: 25 }, (_, i) => message("jobs", `{"i":${i}}`)));
    const received = await drain(driver, "jobs", 25);
    await driver.delete(
      "jobs",
      received.map((m) => m.receiptHandle),
    );
    expect(sqs.requestCount("DeleteMessageBatch")).toBe(3);
    expect(await sqs.depth(queues.queue)).toEqual({ visible: 0, inFlight: 0, delayed: 0 });
  });

  it("lists the messages SQS did not delete", async () => {
    const driver = makeDriver();
    await driver.send([0, 1, 2].map((i) => message("jobs", `{"i":${i}}`)));
    const received = await drain(driver, "jobs", 3);
    failBatchEntries(await driver.getClient(), {
      command: "DeleteMessageBatch",
      ids: ["1"],
      code: "ReceiptHandleIsInvalid",
      senderFault: true,
    });
    const error = await driver
      .delete(
        "jobs",
        received.map((m) => m.receiptHandle),
      )
      .catch((e: unknown) => e);
    expect(isJobError(error, "QUEUE_DRIVER")).toBe(true);
    expect((error as QueueDriverError).message).toMatch(
      /^delete on queue "jobs" failed: 1 of 3 messages were not deleted \(#1: ReceiptHandleIsInvalid: injected/,
    );
    expect((error as QueueDriverError).retryable).toBe(false);
    expect((error as QueueDriverError).cause).toEqual([
      expect.objectContaining({ index: 1, receiptHandle: received[1]?.receiptHandle }),
    ]);
    expect(await sqs.depth(queues.queue)).toMatchObject({ inFlight: 1 });
  });

  it("does nothing for no receipt handles", async () => {
    const driver = makeDriver();
    await driver.delete("jobs", []);
    expect(sqs.requestCount("DeleteMessageBatch")).toBe(0);
  });
});

describe("dead-letter queues", () => {
  async function receiveOne(
    driver: SQSQueueDriver,
    queue: string,
    extra: Partial<OutgoingMessage> = {},
  ) {
    await driver.send([message(queue, '{"poison":true}', extra)]);
    const [received] = await drain(driver, queue, 1);
    if (!received) throw new Error("nothing received");
    return received;
  }

  it("discovers the dead-letter queue from the RedrivePolicy once, and describes the queue", async () => {
    const driver = makeDriver();
    // fauxqs defaults: 30 s visibility, 1 MiB messages.
    expect(await driver.queueInfo("jobs")).toEqual({
      fifo: false,
      deadLetterQueue: queues.deadLetter.name,
      maxReceiveCount: 5,
      visibilityTimeoutSeconds: 30,
      maxMessageBytes: 1_048_576,
    });
    expect(await driver.queueInfo("ordered.fifo")).toMatchObject({
      fifo: true,
      deadLetterQueue: queues.fifoDeadLetter.name,
      maxReceiveCount: 5,
    });
    expect(await driver.queueInfo("plain")).toMatchObject({
      fifo: false,
      deadLetterQueue: undefined,
      maxReceiveCount: undefined,
    });
    expect(await driver.queueInfo("small")).toMatchObject({ maxMessageBytes: 262_144 });

    await driver.moveToDeadLetter(await receiveOne(driver, "jobs"), {
      reason: "permanent",
      attempt: 1,
    });
    await driver.moveToDeadLetter(await receiveOne(driver, "jobs"), {
      reason: "permanent",
      attempt: 1,
    });
    // One per queue described, none for the moves: the settings are read once.
    expect(sqs.requestCount("GetQueueAttributes")).toBe(4);
    expect(sqs.requestCount("GetQueueUrl")).toBe(0);
    expect(await sqs.depth(queues.deadLetter)).toMatchObject({ visible: 2 });
  });

  it("sends the body, the original attributes and the details, then deletes the original", async () => {
    const driver = makeDriver();
    const received = await receiveOne(driver, "jobs");
    await driver.moveToDeadLetter(received, {
      reason: "retry-exhausted",
      error: "é".repeat(5_000),
      attempt: 25,
    });

    const [dead] = await drain(driver, queues.deadLetter.name, 1);
    expect(dead?.body).toBe('{"poison":true}');
    expect(dead?.attributes).toMatchObject({
      "glasswork.job": "test",
      [DEAD_LETTER_ATTRIBUTES.reason]: "retry-exhausted",
      [DEAD_LETTER_ATTRIBUTES.attempt]: "25",
      [DEAD_LETTER_ATTRIBUTES.sourceQueue]: "jobs",
    });
    const error = dead?.attributes[DEAD_LETTER_ATTRIBUTES.error] ?? "";
    expect(error).toHaveLength(DEAD_LETTER_ERROR_MAX_LENGTH);
    expect(error.endsWith("…")).toBe(true);
    expect(await sqs.depth(queues.queue)).toEqual({ visible: 0, inFlight: 0, delayed: 0 });
  });

  it("uses the deadLetterQueues option before the RedrivePolicy", async () => {
    const driver = makeDriver({
      deadLetterQueues: { plain: queues.small.url, [queues.queue.name]: "small" },
    });
    expect(await driver.queueInfo("plain")).toMatchObject({ deadLetterQueue: queues.small.name });
    expect(await driver.queueInfo("jobs")).toMatchObject({
      deadLetterQueue: queues.small.name,
      maxReceiveCount: 5,
    });

    await driver.moveToDeadLetter(await receiveOne(driver, "plain"), {
      reason: "malformed",
      attempt: 1,
    });
    await driver.moveToDeadLetter(await receiveOne(driver, "jobs"), {
      reason: "malformed",
      attempt: 2,
    });
    expect(await sqs.depth(queues.small)).toMatchObject({ visible: 2 });
    expect(await sqs.depth(queues.deadLetter)).toMatchObject({ visible: 0 });
  });

  it("keeps the group on a FIFO dead-letter queue and deduplicates a repeated move", async () => {
    const driver = makeDriver();
    const received = await receiveOne(driver, "ordered.fifo", {
      groupId: "user-9",
      deduplicationId: "j",
    });
    await driver.moveToDeadLetter(received, { reason: "permanent", attempt: 1 });
    // The same message moved again (say its delete had failed) must not make a second copy.
    await driver.moveToDeadLetter(received, { reason: "permanent", attempt: 1 });

    const dead = await drain(driver, queues.fifoDeadLetter.name, 1);
    expect(dead).toHaveLength(1);
    expect(dead[0]).toMatchObject({ groupId: "user-9", deduplicationId: received.messageId });
    expect(await driver.receive(queues.fifoDeadLetter.name)).toEqual([]);
  });

  it("rejects with NoDeadLetterQueueError and keeps the message when there is none", async () => {
    const driver = makeDriver();
    const received = await receiveOne(driver, "plain");
    const error = await driver
      .moveToDeadLetter(received, { reason: "permanent", attempt: 1 })
      .catch((e: unknown) => e);
    expect(isJobError(error, "NO_DEAD_LETTER_QUEUE")).toBe(true);
    expect(await sqs.depth(queues.plain)).toMatchObject({ inFlight: 1 });
  });

  it("still dead-letters a message at the size limit, leaving out the details that do not fit", async () => {
    const driver = makeDriver({ deadLetterQueues: { jobs: queues.small.url } });
    const body = JSON.stringify({ data: "x".repeat(261_980) });
    const received = await receiveOne(driver, "jobs", { body });
    await driver.moveToDeadLetter(
      { ...received, body },
      { reason: "permanent", error: "E".repeat(900), attempt: 1 },
    );
    const [dead] = await drain(driver, queues.small.name, 1);
    expect(dead?.body).toBe(body);
    expect(dead?.attributes[DEAD_LETTER_ATTRIBUTES.error]).toBeUndefined();
    expect(dead?.attributes[DEAD_LETTER_ATTRIBUTES.reason]).toBe("permanent");
    expect(await sqs.depth(queues.queue)).toEqual({ visible: 0, inFlight: 0, delayed: 0 });
  });

  it("counts the move as done once the copy is in the dead-letter queue, even if deleting the original fails", async () => {
    const driver = makeDriver();
    const received = await receiveOne(driver, "jobs");
    (await driver.getClient()).middlewareStack.add(
      (next, context) => async (args) => {
        if (context.commandName === "DeleteMessageCommand") throw new Error("network blip");
        return next(args);
      },
      { step: "initialize", name: "failDeletes" },
    );
    await expect(
      driver.moveToDeadLetter(received, { reason: "permanent", attempt: 1 }),
    ).resolves.toBeUndefined();
    expect(await sqs.depth(queues.deadLetter)).toMatchObject({ visible: 1 });
  });

  it("keeps the original when the dead-letter queue refuses the copy", async () => {
    const gone: TestQueue = { ...queues.deadLetter, url: `${queues.deadLetter.url}-gone` };
    const driver = makeDriver({ deadLetterQueues: { plain: gone.url } });
    const received = await receiveOne(driver, "plain");
    const error = await driver
      .moveToDeadLetter(received, { reason: "permanent", attempt: 1 })
      .catch((e: unknown) => e);
    expect((error as Error).message).toMatch(
      new RegExp(`^moveToDeadLetter on queue "${gone.name}-gone" failed: queue .* does not exist`),
    );
    expect(await sqs.depth(queues.plain)).toMatchObject({ inFlight: 1 });
  });
});

describe("stats", () => {
  it("reports visible, in-flight and delayed messages", async () => {
    const driver = makeDriver();
    await driver.send([
      message("jobs", "{}"),
      message("jobs", "{}"),
      message("jobs", "{}"),
      message("jobs", "{}", { delaySeconds: 600 }),
    ]);
    await driver.receive("jobs", { maxMessages: 1 });
    expect(await driver.stats("jobs")).toEqual({ visible: 2, inFlight: 1, delayed: 1 });
  });
});

describe("transport failures", () => {
  it("reports an unreachable endpoint as a retryable, clear error", async () => {
    const driver = new SQSQueueDriver({
      ...sqs.clientConfig,
      endpoint: "http://127.0.0.1:1",
      queues: { jobs: queues.queue.url },
    });
    drivers.push(driver);
    const error = await driver.receive("jobs").catch((e: unknown) => e);
    expect(isJobError(error, "QUEUE_DRIVER")).toBe(true);
    expect((error as QueueDriverError).message).toMatch(
      /^receive on queue "jobs" failed: cannot reach the SQS endpoint \(.*ECONNREFUSED/,
    );
    expect((error as QueueDriverError).retryable).toBe(true);

    const [result] = await driver.send([message("jobs", "{}")]);
    expect(result).toMatchObject({ ok: false, retryable: true });
  });
});

describe("construction and dispose", () => {
  it("validates its options", () => {
    const client = new SQSClient(sqs.clientConfig);
    expect(() => new SQSQueueDriver({ client, region: "eu-west-1" })).toThrow(/either client or/);
    expect(() => new SQSQueueDriver({ maxMessageBytes: 2_000_000 })).toThrow(RangeError);
    expect(() => new SQSQueueDriver({ concurrency: 0 })).toThrow(RangeError);
    expect(() => new SQSQueueDriver({ queues: { jobs: "my-app-jobs" } })).toThrow(
      /queues\.jobs must be a queue URL/,
    );
    client.destroy();
  });

  it("destroys a client it created, and leaves yours open", async () => {
    const own = new SQSQueueDriver(sqs.clientConfig);
    const destroyOwn = vi.spyOn(await own.getClient(), "destroy");
    await own.dispose();
    expect(destroyOwn).toHaveBeenCalledOnce();

    const client = new SQSClient(sqs.clientConfig);
    const destroyYours = vi.spyOn(client, "destroy");
    const yours = new SQSQueueDriver({ client, queues: { jobs: queues.queue.url } });
    await expect(yours.getClient()).resolves.toBe(client);
    await yours.dispose();
    expect(destroyYours).not.toHaveBeenCalled();
    await expect(yours.stats("jobs")).resolves.toMatchObject({ visible: 0 });
    client.destroy();
  });

  it("disposes without ever making a client when nothing was sent", async () => {
    // dispose() destroys every client the driver made: none destroyed means none was made.
    const destroy = vi.spyOn(SQSClient.prototype, "destroy");
    try {
      const driver = new SQSQueueDriver(sqs.clientConfig);
      await expect(driver.dispose()).resolves.toBeUndefined();
      expect(destroy).not.toHaveBeenCalled();
    } finally {
      destroy.mockRestore();
    }
  });
});
