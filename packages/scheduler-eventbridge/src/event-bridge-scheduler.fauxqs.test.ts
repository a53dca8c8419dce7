import { defineJob, JobService, type SigningKey, silentLogger } from "@glasswork/core";
import { SQSQueueDriver } from "@glasswork/driver-sqs";
import { bootstrapWorker, drainQueue } from "@glasswork/worker";
import * as v from "valibot";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
// The SQS driver's own test server helper: fauxqs in this process, on 127.0.0.1.
import {
  type FauxqsTestServer,
  startFauxqsTestServer,
  type TestQueue,
} from "../../driver-sqs/src/test-fauxqs.js";
import { eventBridgeScheduler } from "./event-bridge-scheduler.js";
import { scheduleName } from "./schedule-name.js";
import { deliverTarget } from "./test-deliver-target.js";
import { fakeScheduler } from "./test-scheduler-api.js";

const ROLE = "arn:aws:iam::123456789012:role/jobs-scheduler";
const KEY: SigningKey = { id: "k1", secret: "0123456789abcdef0123456789abcdef" };
const NOW = Date.parse("2026-12-01T09:00:00.000Z");
const THREE_DAYS_MS = 3 * 86_400_000;

let sqs: FauxqsTestServer;
let queue: TestQueue;
let fifo: TestQueue;
beforeAll(async () => {
  sqs = await startFauxqsTestServer();
  queue = await sqs.createQueue("scheduled");
  // The templated target sets no deduplication id: SQS needs content-based deduplication.
  fifo = await sqs.createQueue("scheduled.fifo", { ContentBasedDeduplication: "true" });
});
afterAll(async () => {
  await sqs.stop();
});

const runs: { userId: string; attempt: number; jobId: string }[] = [];
const sendReminder = defineJob({
  name: "send-reminder",
  schema: v.object({ userId: v.string() }),
  handler: ({ userId }, ctx) => {
    runs.push({ userId, attempt: ctx.attempt, jobId: ctx.jobId });
  },
});
const buildReport = defineJob({
  name: "build-report",
  queue: "reports.fifo",
  schema: v.object({ userId: v.string() }),
  group: (p) => p.userId,
  handler: ({ userId }, ctx) => {
    runs.push({ userId, attempt: ctx.attempt, jobId: ctx.jobId });
  },
});

// Maps the AWS queue URL (universal target) or ARN (templated target) to the local queue.
const localUrl = (awsUrlOrArn: string): string => {
  const name = awsUrlOrArn.slice(
    Math.max(awsUrlOrArn.lastIndexOf("/"), awsUrlOrArn.lastIndexOf(":")) + 1,
  );
  const local = [queue, fifo].find((q) => q.name === name);
  if (!local) throw new Error(`no local queue for ${awsUrlOrArn}`);
  return local.url;
};

function setup(target: "universal" | "templated", signingKey?: SigningKey) {
  const fake = fakeScheduler();
  const driver = new SQSQueueDriver({
    ...sqs.clientConfig,
    queues: { default: queue.url, "reports.fifo": fifo.url },
  });
  const jobs = new JobService(driver, {
    now: () => NOW,
    ...(signingKey && { signingKey }),
    longDelays: eventBridgeScheduler({
      client: fake.client,
      groupName: "jobs",
      roleArn: ROLE,
      queueArns: { default: queue.arn, "reports.fifo": fifo.arn },
      target,
    }),
  });
  const worker = (now: number, queueName = "default") => {
    const handler = bootstrapWorker({
      jobs: [sendReminder, buildReport],
      driver,
      logger: silentLogger,
      now: () => now,
      ...(signingKey && { signingKeys: [signingKey] }),
    });
    return drainQueue({ handler, driver, queue: queueName });
  };
  return { fake, driver, jobs, worker };
}

describe("a scheduled job firing into a real SQS protocol server (fauxqs)", () => {
  it("runs once, signed and with its attributes, when the universal target's Input reaches the queue", async () => {
    runs.length = 0;
    const { fake, driver, jobs, worker } = setup("universal", KEY);
    const { jobId } = await jobs.enqueueIn(sendReminder, { userId: "u_1" }, "3d");
    expect(await sqs.depth(queue)).toEqual({ visible: 0, inFlight: 0, delayed: 0 });

    await deliverTarget(fake.fire(scheduleName(jobId), "jobs"), sqs.client, localUrl);
    // The worker accepts only signed messages: running it shows the signature attribute arrived.
    const drained = await worker(NOW + THREE_DAYS_MS);
    expect(drained).toMatchObject({ done: 1, failed: 0 });
    expect(runs).toEqual([{ userId: "u_1", attempt: 1, jobId }]);
    expect(await sqs.depth(queue)).toEqual({ visible: 0, inFlight: 0, delayed: 0 });
    expect(fake.schedules.size).toBe(0);
    await driver.dispose();
  });

  it("does not run a job delivered before its time: the worker relays it until due", async () => {
    runs.length = 0;
    const { fake, driver, jobs, worker } = setup("universal");
    const { jobId } = await jobs.enqueueIn(sendReminder, { userId: "u_2" }, "3d");
    await deliverTarget(fake.fire(scheduleName(jobId), "jobs"), sqs.client, localUrl);

    const drained = await worker(NOW + THREE_DAYS_MS - 30_000);
    expect(drained).toMatchObject({ done: 1 });
    expect(runs).toEqual([]);
    expect(await sqs.depth(queue)).toMatchObject({ visible: 0, delayed: 1 });
    await driver.dispose();
  });

  it("runs a FIFO job in its group through the templated target, without the job-name attribute", async () => {
    runs.length = 0;
    const { fake, driver, jobs, worker } = setup("templated");
    const { jobId } = await jobs.enqueueIn(buildReport, { userId: "u_3" }, "3d");
    await deliverTarget(fake.fire(scheduleName(jobId), "jobs"), sqs.client, localUrl);

    const drained = await worker(NOW + THREE_DAYS_MS, "reports.fifo");
    expect(drained).toMatchObject({ done: 1, failed: 0 });
    expect(runs).toEqual([{ userId: "u_3", attempt: 1, jobId }]);
    await driver.dispose();
  });
});
