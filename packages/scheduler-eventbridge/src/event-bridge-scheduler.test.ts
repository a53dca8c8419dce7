import { defineJob, JobService, type SigningKey } from "@glasswork/core";
import { MockQueueDriver } from "@glasswork/driver-mock";
import * as v from "valibot";
import { describe, expect, it } from "vitest";
import { ScheduleConflictError, SchedulerError } from "./errors.js";
import { eventBridgeScheduler } from "./event-bridge-scheduler.js";
import { scheduleName } from "./schedule-name.js";
import { type FakeScheduler, fakeScheduler } from "./test-scheduler-api.js";

const NOW = Date.parse("2026-12-01T09:00:00.000Z");
const ROLE = "arn:aws:iam::123456789012:role/jobs-scheduler";
const QUEUE_ARN = "arn:aws:sqs:eu-west-1:123456789012:jobs";
const FIFO_ARN = "arn:aws:sqs:eu-west-1:123456789012:reports.fifo";
const KEY: SigningKey = { id: "k1", secret: "0123456789abcdef0123456789abcdef" };

const sendReminder = defineJob({
  name: "send-reminder",
  schema: v.object({ userId: v.string() }),
  handler: () => {},
});
const buildReport = defineJob({
  name: "build-report",
  queue: "reports.fifo",
  schema: v.object({ accountId: v.string() }),
  group: (p) => p.accountId,
  handler: () => {},
});

function createBody(fake: FakeScheduler): Record<string, unknown> {
  const body = fake.requests.find((r) => r.operation === "CreateSchedule")?.body;
  if (!body) throw new Error("no CreateSchedule request was sent");
  return body;
}

// The universal target's Input: the SendMessage request the scheduler will make.
function sentInput(fake: FakeScheduler): Record<string, unknown> {
  return JSON.parse(String((createBody(fake).Target as { Input: string }).Input));
}

function setup(options: { target?: "universal" | "templated"; signed?: boolean } = {}) {
  const fake = fakeScheduler();
  const driver = new MockQueueDriver();
  const scheduler = eventBridgeScheduler({
    client: fake.client,
    groupName: "jobs",
    roleArn: ROLE,
    queueArns: { default: QUEUE_ARN, "reports.fifo": FIFO_ARN },
    retry: { baseDelayMs: 1 },
    now: () => NOW,
    ...(options.target && { target: options.target }),
  });
  const jobs = new JobService(driver, {
    longDelays: scheduler,
    now: () => NOW,
    ...(options.signed && { signingKey: KEY }),
  });
  return { fake, driver, scheduler, jobs };
}

describe("eventBridgeScheduler: CreateSchedule", () => {
  it("turns a delay beyond 15 minutes into one CreateSchedule: at() in UTC, no flexible window, deleted after completion, the universal SQS target", async () => {
    const { fake, driver, jobs } = setup();
    const enqueued = await jobs.enqueueIn(sendReminder, { userId: "u_1" }, "3d", { id: "rem-1" });

    const name = scheduleName("rem-1");
    expect(fake.requests.map((r) => `${r.method} ${r.path}`)).toEqual([`POST /schedules/${name}`]);
    const body = createBody(fake);
    const envelope = {
      v: 1,
      id: "rem-1",
      name: "send-reminder",
      payload: { userId: "u_1" },
      enqueuedAt: "2026-12-01T09:00:00.000Z",
      runAt: "2026-12-04T09:00:00.000Z",
    };
    expect(body).toEqual({
      GroupName: "jobs",
      ScheduleExpression: "at(2026-12-04T09:00:00)",
      ScheduleExpressionTimezone: "UTC",
      FlexibleTimeWindow: { Mode: "OFF" },
      ActionAfterCompletion: "DELETE",
      ClientToken: expect.stringMatching(/^[0-9a-f]{64}$/),
      Target: {
        Arn: "arn:aws:scheduler:::aws-sdk:sqs:sendMessage",
        RoleArn: ROLE,
        Input: expect.any(String),
      },
    });
    expect(JSON.parse((body.Target as { Input: string }).Input)).toEqual({
      QueueUrl: "https://sqs.eu-west-1.amazonaws.com/123456789012/jobs",
      MessageBody: JSON.stringify(envelope),
      MessageAttributes: { "glasswork.job": { DataType: "String", StringValue: "send-reminder" } },
    });
    expect(enqueued).toMatchObject({
      jobId: "rem-1",
      messageId: `arn:aws:scheduler:us-east-1:123456789012:schedule/jobs/${name}`,
      runAt: new Date("2026-12-04T09:00:00.000Z"),
    });
    expect(await driver.stats("default")).toEqual({ visible: 0, inFlight: 0, delayed: 0 });
  });

  it("sends delays the queue can hold to the queue, not the scheduler", async () => {
    const { fake, driver, jobs } = setup();
    await jobs.enqueueIn(sendReminder, { userId: "u_1" }, 900);
    expect(fake.requests).toEqual([]);
    expect((await driver.stats("default")).delayed).toBe(1);
  });

  it("rounds a due time with milliseconds up to the next second", async () => {
    const { fake, jobs } = setup();
    await jobs.enqueueAt(sendReminder, { userId: "u_1" }, new Date("2026-12-24T18:30:00.001Z"));
    expect(createBody(fake).ScheduleExpression).toBe("at(2026-12-24T18:30:01)");
  });

  it("keeps the signature attribute on the universal target", async () => {
    const { fake, jobs } = setup({ signed: true });
    await jobs.enqueueIn(sendReminder, { userId: "u_1" }, "1h");
    const input = sentInput(fake);
    expect(Object.keys(input.MessageAttributes as object)).toEqual([
      "glasswork.job",
      "glasswork.signature",
    ]);
    expect(input.MessageAttributes).toMatchObject({
      "glasswork.signature": { DataType: "String", StringValue: expect.stringMatching(/^k1\./) },
    });
  });

  it("gives FIFO messages their group id and deduplication id on the universal target", async () => {
    const { fake, jobs } = setup();
    await jobs.enqueueIn(buildReport, { accountId: "acc_7" }, "2h", { id: "report-acc_7" });
    const input = sentInput(fake);
    expect(input).toMatchObject({
      QueueUrl: "https://sqs.eu-west-1.amazonaws.com/123456789012/reports.fifo",
      MessageGroupId: "acc_7",
      MessageDeduplicationId: "build-report/report-acc_7",
    });
  });

  it("uses the queue's ARN, the body as Input and SqsParameters.MessageGroupId on the templated target", async () => {
    const { fake, jobs } = setup({ target: "templated" });
    await jobs.enqueueIn(buildReport, { accountId: "acc_7" }, "2h", { id: "report-acc_7" });
    const target = createBody(fake).Target as Record<string, unknown>;
    expect(target).toEqual({
      Arn: FIFO_ARN,
      RoleArn: ROLE,
      Input: expect.any(String),
      SqsParameters: { MessageGroupId: "acc_7" },
    });
    expect(JSON.parse(String(target.Input))).toMatchObject({
      id: "report-acc_7",
      name: "build-report",
    });
  });

  it("refuses a signed message on the templated target, which would arrive unsigned, without sending anything", async () => {
    const { fake, jobs } = setup({ target: "templated", signed: true });
    await expect(jobs.enqueueIn(sendReminder, { userId: "u_1" }, "1h")).rejects.toThrow(
      /templated SQS target.*target: "universal"/,
    );
    expect(fake.requests).toEqual([]);
  });

  it("fails an item whose queue has no ARN configured", async () => {
    const { fake, jobs } = setup();
    await expect(
      jobs.enqueueIn(sendReminder, { userId: "u_1" }, "1h", { queue: "other" }),
    ).rejects.toThrow(/No queue ARN for queue "other"/);
    expect(fake.requests).toEqual([]);
  });

  it("retries throttling with backoff, with the same client token, until it succeeds", async () => {
    const { fake, jobs } = setup();
    fake.fail("CreateSchedule", { status: 429, type: "ThrottlingException" }, 3);
    await jobs.enqueueIn(sendReminder, { userId: "u_1" }, "1d");
    const creates = fake.requests.filter((r) => r.operation === "CreateSchedule");
    expect(creates).toHaveLength(4);
    expect(new Set(creates.map((r) => r.body?.ClientToken)).size).toBe(1);
    expect(fake.schedules.size).toBe(1);
  });

  it("gives up after the configured attempts with a retryable SchedulerError", async () => {
    const { fake, jobs } = setup();
    fake.fail("CreateSchedule", { status: 429, type: "ThrottlingException" }, 99);
    const error = await jobs.enqueueIn(sendReminder, { userId: "u_1" }, "1d").catch((e) => e);
    expect(error).toBeInstanceOf(SchedulerError);
    expect(error).toMatchObject({ operation: "CreateSchedule", retryable: true });
    expect(fake.requests.filter((r) => r.operation === "CreateSchedule")).toHaveLength(5);
  });

  it("does not retry a request the scheduler refuses, and says which permission is missing", async () => {
    const { fake, jobs } = setup();
    fake.fail("CreateSchedule", { status: 403, type: "AccessDeniedException" });
    const error = await jobs.enqueueIn(sendReminder, { userId: "u_1" }, "1d").catch((e) => e);
    expect(error).toMatchObject({ name: "SchedulerError", retryable: false });
    expect(error.message).toMatch(/iam:PassRole/);
    expect(fake.requests).toHaveLength(1);
  });

  it("treats a ConflictException for the same job, time and payload as already scheduled", async () => {
    const { fake, jobs } = setup();
    const first = await jobs.enqueueIn(sendReminder, { userId: "u_1" }, "1d", { id: "rem-1" });
    const again = await jobs.enqueueIn(sendReminder, { userId: "u_1" }, "1d", {
      id: "rem-1",
      meta: { traceparent: "00-0af7651916cd43dd8448eb211c80319c-b7ad6b7169203331-01" },
    });
    expect(again.messageId).toBe(first.messageId);
    expect(fake.requests.map((r) => r.operation)).toEqual([
      "CreateSchedule",
      "CreateSchedule",
      "GetSchedule",
    ]);
    expect(fake.schedules.size).toBe(1);
  });

  it("fails with ScheduleConflictError when the job id is scheduled for another time or payload, keeping the first", async () => {
    const { fake, jobs } = setup();
    await jobs.enqueueIn(sendReminder, { userId: "u_1" }, "1d", { id: "rem-1" });
    const later = await jobs
      .enqueueIn(sendReminder, { userId: "u_1" }, "2d", { id: "rem-1" })
      .catch((e) => e);
    expect(later).toBeInstanceOf(ScheduleConflictError);
    expect(later.message).toMatch(
      /another time \(at\(2026-12-02T09:00:00\), not at\(2026-12-03T09:00:00\)\)/,
    );
    const other = await jobs
      .enqueueIn(sendReminder, { userId: "u_2" }, "1d", { id: "rem-1" })
      .catch((e) => e);
    expect(other).toBeInstanceOf(ScheduleConflictError);
    expect(other.message).toMatch(/another queue, job or payload/);
    const [stored] = fake.schedules.values();
    expect(stored?.ScheduleExpression).toBe("at(2026-12-02T09:00:00)");
  });

  it("schedules a batch with at most `concurrency` requests in flight, one result per item in order", async () => {
    const fake = fakeScheduler();
    let inFlight = 0;
    let most = 0;
    fake.onRequest = async () => {
      most = Math.max(most, ++inFlight);
      await new Promise((resolve) => setImmediate(resolve));
      inFlight--;
    };
    const jobs = new JobService(new MockQueueDriver(), {
      longDelays: eventBridgeScheduler({
        client: fake.client,
        groupName: "jobs",
        roleArn: ROLE,
        queueArns: { default: QUEUE_ARN },
        concurrency: 3,
      }),
    });
    const items = Array.from({ length: 12 }, (_, i) => ({
      job: sendReminder,
      payload: { userId: `u_${i}` },
      options: { id: `rem-${i}`, delay: "1d" as const },
    }));
    const results = await jobs.enqueueBatch(items);
    expect(results.map((r) => r.jobId)).toEqual(items.map((i) => i.options.id));
    expect(fake.schedules.size).toBe(12);
    expect(most).toBe(3);
  });
});

describe("eventBridgeScheduler options", () => {
  const valid = { groupName: "jobs", roleArn: ROLE, queueArns: { default: QUEUE_ARN } };

  it("rejects what the scheduler would refuse, at construction", () => {
    const { client } = fakeScheduler();
    expect(() => eventBridgeScheduler({ ...valid, client, groupName: "my group" })).toThrow(
      /groupName/,
    );
    expect(() => eventBridgeScheduler({ ...valid, client, roleArn: "jobs-role" })).toThrow(
      /IAM role ARN/,
    );
    expect(() =>
      eventBridgeScheduler({
        ...valid,
        client,
        queueArns: { default: "https://sqs.eu-west-1.amazonaws.com/1/jobs" },
      }),
    ).toThrow(/not an SQS queue ARN/);
    expect(() => eventBridgeScheduler({ ...valid, client, concurrency: 0 })).toThrow(RangeError);
    expect(() => eventBridgeScheduler({ ...valid, client, namePrefix: "x y" })).toThrow(/prefix/);
  });

  it("derives the universal target's queue URL and ARN from the queue ARN's partition", async () => {
    const fake = fakeScheduler();
    const jobs = new JobService(new MockQueueDriver(), {
      longDelays: eventBridgeScheduler({
        client: fake.client,
        groupName: "jobs",
        roleArn: "arn:aws-cn:iam::123456789012:role/jobs-scheduler",
        queueArns: { default: "arn:aws-cn:sqs:cn-north-1:123456789012:jobs" },
      }),
    });
    await jobs.enqueueIn(sendReminder, { userId: "u_1" }, "1d");
    expect((createBody(fake).Target as { Arn: string }).Arn).toBe(
      "arn:aws-cn:scheduler:::aws-sdk:sqs:sendMessage",
    );
    expect(sentInput(fake).QueueUrl).toBe(
      "https://sqs.cn-north-1.amazonaws.com.cn/123456789012/jobs",
    );
  });
});

describe("JobService with longDelays", () => {
  it("sends a mixed batch in one call: short delays to the queue, long ones to the scheduler, results in input order", async () => {
    const { fake, driver, jobs } = setup();
    const results = await jobs.enqueueBatch([
      { job: sendReminder, payload: { userId: "a" }, options: { id: "a", delay: "2h" } },
      { job: sendReminder, payload: { userId: "b" }, options: { id: "b" } },
      { job: sendReminder, payload: { userId: "c" }, options: { id: "c", delay: "10m" } },
      { job: sendReminder, payload: { userId: "d" }, options: { id: "d", delay: "1d" } },
    ]);
    expect(results.map((r) => [r.jobId, r.messageId.startsWith("arn:aws:scheduler:")])).toEqual([
      ["a", true],
      ["b", false],
      ["c", false],
      ["d", true],
    ]);
    expect(
      fake.requests.map(
        (r) =>
          JSON.parse(String((r.body as { Target: { Input: string } }).Target.Input)).MessageBody,
      ),
    ).toEqual([expect.stringContaining('"id":"a"'), expect.stringContaining('"id":"d"')]);
    expect(driver.enqueued.map((r) => r.jobId).sort()).toEqual(["b", "c"]);
  });

  it("fails only the long-delayed items when the scheduler rejects outright", async () => {
    const driver = new MockQueueDriver();
    const jobs = new JobService(driver, {
      longDelays: {
        schedule: () => Promise.reject(new Error("scheduler down")),
        cancel: () => Promise.resolve("not-found"),
      },
    });
    const error = await jobs
      .enqueueBatch([
        { job: sendReminder, payload: { userId: "a" }, options: { id: "a", delay: "2h" } },
        { job: sendReminder, payload: { userId: "b" }, options: { id: "b" } },
      ])
      .catch((e) => e);
    expect(error.name).toBe("EnqueueBatchError");
    expect(
      error.failed.map((f: { index: number; error: Error }) => [f.index, f.error.message]),
    ).toEqual([[0, "scheduler down"]]);
    expect(driver.enqueued.map((r) => r.jobId)).toEqual(["b"]);
  });
});

describe("jobs.cancel", () => {
  it("deletes a pending schedule: GetSchedule then DeleteSchedule in the group", async () => {
    const { fake, jobs } = setup();
    await jobs.enqueueIn(sendReminder, { userId: "u_1" }, "3d", { id: "rem-1" });
    expect(await jobs.cancel("rem-1")).toBe("cancelled");
    const name = scheduleName("rem-1");
    expect(
      fake.requests
        .slice(1)
        .map((r) => ({ method: r.method, path: r.path, query: r.query, body: r.body })),
    ).toEqual([
      { method: "GET", path: `/schedules/${name}`, query: { groupName: "jobs" }, body: undefined },
      {
        method: "DELETE",
        path: `/schedules/${name}`,
        query: { groupName: "jobs", clientToken: expect.any(String) },
        body: undefined,
      },
    ]);
    expect(fake.schedules.size).toBe(0);
  });

  it("is idempotent: a second cancel finds nothing and sends no delete", async () => {
    const { fake, jobs } = setup();
    await jobs.enqueueIn(sendReminder, { userId: "u_1" }, "3d", { id: "rem-1" });
    await jobs.cancel("rem-1");
    expect(await jobs.cancel("rem-1")).toBe("not-found");
    expect(fake.requests.map((r) => r.operation)).toEqual([
      "CreateSchedule",
      "GetSchedule",
      "DeleteSchedule",
      "GetSchedule",
    ]);
  });

  it("says not-found for a job that never went through the scheduler (delayed 15 minutes or less)", async () => {
    const { jobs } = setup();
    const { jobId } = await jobs.enqueueIn(sendReminder, { userId: "u_1" }, "10m");
    expect(await jobs.cancel(jobId)).toBe("not-found");
  });

  it("says already-fired, and deletes nothing, once the due time has passed", async () => {
    const fake = fakeScheduler();
    let now = NOW;
    const scheduler = eventBridgeScheduler({
      client: fake.client,
      groupName: "jobs",
      roleArn: ROLE,
      queueArns: { default: QUEUE_ARN },
      now: () => now,
    });
    const jobs = new JobService(new MockQueueDriver(), { longDelays: scheduler, now: () => NOW });
    await jobs.enqueueIn(sendReminder, { userId: "u_1" }, "1h", { id: "rem-1" });
    now = NOW + 3_600_000;
    expect(await jobs.cancel("rem-1")).toBe("already-fired");
    expect(fake.requests.map((r) => r.operation)).not.toContain("DeleteSchedule");
  });

  it("throws a clear error without the longDelays option", async () => {
    const jobs = new JobService(new MockQueueDriver());
    await expect(jobs.cancel("rem-1")).rejects.toThrow(/needs the longDelays option/);
  });

  it("wraps other failures in a SchedulerError naming the operation", async () => {
    const { fake, jobs } = setup();
    fake.fail("GetSchedule", { status: 403, type: "AccessDeniedException" });
    await expect(jobs.cancel("rem-1")).rejects.toMatchObject({
      name: "SchedulerError",
      operation: "GetSchedule",
    });
  });
});
