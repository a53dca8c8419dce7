import {
  defineJob,
  definePeriodicJob,
  JobService,
  PermanentJobError,
  silentLogger,
} from "@glasswork/core";
import { ManualClock, MockQueueDriver } from "@glasswork/driver-mock";
import { bootstrapWorker, drainQueue, type WorkerHooks } from "@glasswork/worker";
import * as v from "valibot";
import { afterEach, beforeEach, describe, expect, it, vi } from "vitest";
import { createEmfMetricsHooks, type EmfMetricsOptions } from "./create-emf-metrics-hooks.js";

interface EmfLine {
  _aws: {
    Timestamp: number;
    CloudWatchMetrics: {
      Namespace: string;
      Dimensions: string[][];
      Metrics: { Name: string; Unit: string; StorageResolution?: number }[];
    }[];
  };
  [key: string]: unknown;
}

// Powertools writes EMF with its own Console on process.stdout: read what reaches the stream.
let lines: EmfLine[];
beforeEach(() => {
  lines = [];
  const write = process.stdout.write.bind(process.stdout);
  vi.spyOn(process.stdout, "write").mockImplementation(((chunk: unknown, ...rest: unknown[]) => {
    for (const text of String(chunk).split("\n")) {
      if (text.includes('"_aws"')) lines.push(JSON.parse(text) as EmfLine);
    }
    return String(chunk).includes('"_aws"') ? true : write(chunk as string, ...(rest as []));
  }) as typeof process.stdout.write);
});
afterEach(() => {
  vi.restoreAllMocks();
  vi.unstubAllEnvs();
});

const welcome = defineJob({
  name: "send-welcome-email",
  schema: v.object({ userId: v.string() }),
  handler: () => {},
});
let flakyFailures = 0;
const flaky = defineJob({
  name: "flaky",
  schema: v.object({}),
  retry: { maxAttempts: 3, backoff: { base: 1, max: 1, jitter: "none" } },
  handler: () => {
    if (flakyFailures-- > 0) throw new Error("try again");
  },
});
const doomed = defineJob({
  name: "doomed",
  schema: v.object({}),
  handler: () => {
    throw new PermanentJobError("never");
  },
});
const KNOWN = [welcome, flaky, doomed];

function setup(options: Partial<EmfMetricsOptions> = {}, deadLetterQueue = true) {
  const clock = new ManualClock(new Date("2026-12-01T09:00:00.000Z"));
  const driver = new MockQueueDriver({
    clock,
    ...(!deadLetterQueue && { deadLetterQueues: { default: null } }),
  });
  const jobs = new JobService(driver, { now: () => clock.now() });
  const hooks: WorkerHooks = createEmfMetricsHooks({
    jobs: KNOWN,
    namespace: "Shop",
    serviceName: "worker",
    dimensions: { Environment: "test" },
    now: () => clock.now(),
    ...options,
  });
  const handler = bootstrapWorker({
    jobs: KNOWN,
    driver,
    hooks: [hooks],
    logger: silentLogger,
    now: () => clock.now(),
    random: () => 0.5,
  });
  return { clock, driver, jobs, drain: () => drainQueue({ handler, driver }) };
}

const values = (line: EmfLine | undefined) =>
  Object.fromEntries(
    (line?._aws.CloudWatchMetrics[0]?.Metrics ?? []).map((m) => [m.Name, line?.[m.Name]]),
  );

describe("createEmfMetricsHooks on the real worker", () => {
  it("writes one EMF line per job: namespace, dimensions, the six metrics with their units and values", async () => {
    const { clock, jobs, drain } = setup();
    await jobs.enqueue(welcome, { userId: "u_1" });
    clock.advance(5);
    await drain();

    expect(lines).toHaveLength(1);
    const [line] = lines;
    expect(line?._aws.CloudWatchMetrics).toEqual([
      {
        Namespace: "Shop",
        Dimensions: [["service", "Environment", "JobName"]],
        Metrics: [
          { Name: "JobCount", Unit: "Count" },
          { Name: "JobErrorCount", Unit: "Count" },
          { Name: "RetryCount", Unit: "Count" },
          { Name: "DeadLetterCount", Unit: "Count" },
          { Name: "JobDuration", Unit: "Milliseconds" },
          { Name: "QueueWaitTime", Unit: "Milliseconds" },
        ],
      },
    ]);
    expect(line).toMatchObject({
      service: "worker",
      Environment: "test",
      JobName: "send-welcome-email",
    });
    expect(values(line)).toEqual({
      JobCount: 1,
      JobErrorCount: 0,
      RetryCount: 0,
      DeadLetterCount: 0,
      JobDuration: expect.any(Number),
      QueueWaitTime: 5_000,
    });
    expect(line?.JobDuration as number).toBeGreaterThanOrEqual(0);
  });

  it("counts a retry and then the success, and a permanent failure as an error and a dead letter", async () => {
    const { clock, jobs, drain } = setup();
    flakyFailures = 1;
    await jobs.enqueue(flaky, {});
    await jobs.enqueue(doomed, {});
    await drain();
    clock.advance(1);
    await drain();

    const byJob = (name: string) => lines.filter((l) => l.JobName === name).map(values);
    expect(byJob("flaky")).toEqual([
      expect.objectContaining({ JobCount: 1, JobErrorCount: 1, RetryCount: 1, DeadLetterCount: 0 }),
      expect.objectContaining({ JobCount: 1, JobErrorCount: 0, RetryCount: 0, DeadLetterCount: 0 }),
    ]);
    expect(byJob("doomed")).toEqual([
      expect.objectContaining({ JobCount: 1, JobErrorCount: 1, RetryCount: 0, DeadLetterCount: 1 }),
    ]);
  });

  it("counts a failed run that could not be dead-lettered (no dead-letter queue) as an error, not a dead letter", async () => {
    const { jobs, drain } = setup({}, false);
    await jobs.enqueue(doomed, {});
    await drain();
    expect(lines.map(values)).toEqual([
      expect.objectContaining({ JobCount: 1, JobErrorCount: 1, RetryCount: 0, DeadLetterCount: 0 }),
    ]);
  });

  it("maps job names the worker does not know to _unknown, so untrusted names cannot create series", async () => {
    const { jobs, drain } = setup();
    for (const name of ["ghost-1", "ghost-2", "evil:drop-table"]) {
      await jobs.enqueue(defineJob({ name, schema: v.object({}), handler: () => {} }), {});
    }
    await drain();
    expect(lines.map((l) => l.JobName)).toEqual(["_unknown", "_unknown", "_unknown"]);
    expect(lines.map(values)).toEqual(
      Array(3).fill(expect.objectContaining({ JobErrorCount: 1, RetryCount: 1 })),
    );
  });

  it("counts an unreadable message as a dead letter of _unknown, without duration or wait time", async () => {
    const { driver, drain } = setup();
    await driver.send([{ queue: "default", body: "not json", attributes: {} }]);
    await drain();
    expect(lines).toHaveLength(1);
    expect(lines[0]?.JobName).toBe("_unknown");
    expect(values(lines[0])).toEqual({
      JobCount: 1,
      JobErrorCount: 1,
      RetryCount: 0,
      DeadLetterCount: 1,
    });
  });

  it("stores at high resolution, with a queue dimension and without the job-name dimension when asked", async () => {
    const { jobs, drain } = setup({
      highResolution: true,
      jobNameDimension: false,
      queueDimension: "Queue",
    });
    await jobs.enqueue(welcome, { userId: "u_1" });
    await drain();
    const [definition] = lines[0]?._aws.CloudWatchMetrics ?? [];
    expect(definition?.Dimensions).toEqual([["service", "Environment", "Queue"]]);
    expect(lines[0]?.Queue).toBe("default");
    expect(lines[0]?.JobName).toBeUndefined();
    expect(definition?.Metrics.every((m) => m.StorageResolution === 1)).toBe(true);
  });

  it("counts periodic jobs under their name", async () => {
    const dailyCleanup = definePeriodicJob({ name: "daily-cleanup", handler: () => {} });
    const driver = new MockQueueDriver();
    const handler = bootstrapWorker({
      jobs: [dailyCleanup],
      driver,
      logger: silentLogger,
      hooks: [
        createEmfMetricsHooks({ jobs: [dailyCleanup], namespace: "Shop", queueDimension: "Queue" }),
      ],
    });
    await handler({ jobName: "daily-cleanup" }, {
      awsRequestId: "req-1",
      getRemainingTimeInMillis: () => 60_000,
    } as Parameters<typeof handler>[1]);
    expect(lines).toHaveLength(1);
    expect(lines[0]).toMatchObject({
      JobName: "daily-cleanup",
      Queue: "schedule",
      JobCount: 1,
      JobErrorCount: 0,
    });
  });

  it("sends Powertools' own warnings to the given Glasswork logger", async () => {
    const warnings: { fields: Record<string, unknown>; msg: string | undefined }[] = [];
    const logger = {
      ...silentLogger,
      warn: (fields: Record<string, unknown>, msg?: string) => warnings.push({ fields, msg }),
    };
    const { jobs, drain } = setup({ logger, dimensions: { Environment: "" } });
    await jobs.enqueue(welcome, { userId: "u_1" });
    await drain();
    expect(warnings).toContainEqual({
      fields: { source: "powertools-metrics" },
      msg: expect.stringMatching(/Environment/),
    });
  });

  it("writes Powertools' ColdStart metric once per container when asked, on Lambda's on-demand start", async () => {
    vi.stubEnv("AWS_LAMBDA_INITIALIZATION_TYPE", "on-demand");
    vi.stubEnv("AWS_LAMBDA_FUNCTION_NAME", "worker-fn");
    const { jobs, drain } = setup({ captureColdStart: true });
    await jobs.enqueue(welcome, { userId: "u_1" });
    await jobs.enqueue(welcome, { userId: "u_2" });
    await drain();
    const coldStarts = lines.filter((l) => "ColdStart" in l);
    expect(coldStarts).toHaveLength(1);
    expect(coldStarts[0]).toMatchObject({ ColdStart: 1, function_name: "worker-fn" });
    expect(lines.filter((l) => "JobCount" in l)).toHaveLength(2);
  });
});
