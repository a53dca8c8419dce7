import * as v from "valibot";
import { describe, expect, expectTypeOf, it } from "vitest";
import {
  type AnyJobDefinition,
  checkJobName,
  DEFAULT_QUEUE,
  defineJob,
  type JobDefinition,
  type JobInput,
  type JobPayload,
} from "./define-job.js";
import { definePeriodicJob, type PeriodicJobContext } from "./define-periodic-job.js";
import type { JobContext } from "./job-context.js";
import type { JobService } from "./job-service.js";

const noop = () => {};

describe("defineJob", () => {
  it("keeps the options and fills the defaults", () => {
    const schema = v.object({ userId: v.string() });
    const handler = async () => {};
    const job = defineJob({ name: "send-welcome-email", schema, handler });
    expect(job).toEqual({
      kind: "job",
      name: "send-welcome-email",
      schema,
      queue: "default",
      retry: { maxAttempts: 25, dead: true, backoff: {} },
      unique: undefined,
      group: undefined,
      handler,
      expiresAfter: undefined,
      onExpired: "dead-letter",
      onDeadLetter: undefined,
    });
    expect(DEFAULT_QUEUE).toBe("default");
    expect(job.handler).toBe(handler);
    expect(Object.isFrozen(job)).toBe(true);
  });

  it("keeps queue, retry, unique and group", () => {
    const unique = { key: (p: { id: string }) => `k-${p.id}` };
    const group = (p: { id: string }) => p.id;
    const job = defineJob<{ id: string }>({
      name: "sync",
      queue: "reports.fifo",
      retry: { maxAttempts: 5, dead: false },
      unique,
      group,
      handler: noop,
    });
    expect(job.queue).toBe("reports.fifo");
    expect(job.retry).toEqual({ maxAttempts: 5, dead: false, backoff: {} });
    expect(job.unique).toBe(unique);
    expect(job.group).toBe(group);
    expect(job.schema).toBeUndefined();
    expect(defineJob({ name: "once", retry: false, handler: noop }).retry).toEqual({
      maxAttempts: 1,
      dead: false,
      backoff: {},
    });
    expect(defineJob({ name: "three", retry: 3, handler: noop }).retry.maxAttempts).toBe(3);
  });

  it("rejects an invalid retry option at definition time", () => {
    expect(() => defineJob({ name: "x", retry: 0, handler: noop })).toThrow(RangeError);
    expect(() => defineJob({ name: "x", retry: { maxAttempts: 2.5 }, handler: noop })).toThrow(
      RangeError,
    );
  });

  it("needs a handler function", () => {
    expect(() => defineJob({ name: "no-handler" } as never)).toThrow(TypeError);
    expect(() => defineJob({ name: "no-handler" } as never)).toThrow(
      'Job "no-handler" needs a handler function',
    );
    expect(() => defineJob({ name: "bad", handler: "nope" } as never)).toThrow(TypeError);
  });

  it("checks the name before the handler", () => {
    expect(() => defineJob({ name: "" } as never)).toThrow(/Invalid job name/);
  });
});

describe("checkJobName", () => {
  it.each(["a", "send-welcome-email", "Reports.Daily_v2:eu", "9lives", "x".repeat(128)])(
    "accepts %j",
    (name) => {
      expect(() => checkJobName(name)).not.toThrow();
    },
  );

  it.each([
    "",
    "-starts-with-dash",
    ".dot",
    "_under",
    "has space",
    "slash/name",
    "émoji",
    "x".repeat(129),
    "tab\tname",
  ])("rejects %j with a TypeError", (name) => {
    expect(() => checkJobName(name)).toThrow(TypeError);
    expect(() => checkJobName(name)).toThrow(`Invalid job name ${JSON.stringify(name)}`);
  });

  it.each([undefined, null, 42, {}])("rejects the non-string %j", (name) => {
    expect(() => checkJobName(name as unknown as string)).toThrow(TypeError);
  });

  it("is what defineJob uses", () => {
    expect(() => defineJob({ name: "bad name", handler: noop })).toThrow(TypeError);
  });
});

describe("defineJob types", () => {
  it("infers the input at enqueue and the output in the handler from a transforming schema", () => {
    const job = defineJob({
      name: "typed",
      schema: v.object({ count: v.pipe(v.string(), v.transform(Number)) }),
      unique: {
        key: (payload) => {
          expectTypeOf(payload).toEqualTypeOf<{ count: number }>();
          return String(payload.count);
        },
      },
      group: (payload) => {
        expectTypeOf(payload).toEqualTypeOf<{ count: number }>();
        return "g";
      },
      handler: (payload, ctx) => {
        expectTypeOf(payload).toEqualTypeOf<{ count: number }>();
        expectTypeOf(ctx).toEqualTypeOf<JobContext>();
      },
    });
    expectTypeOf(job).toEqualTypeOf<JobDefinition<{ count: string }, { count: number }>>();
    expectTypeOf<JobInput<typeof job>>().toEqualTypeOf<{ count: string }>();
    expectTypeOf<JobPayload<typeof job>>().toEqualTypeOf<{ count: number }>();
    expectTypeOf(job).toExtend<AnyJobDefinition>();
    expect(job.schema).toBeDefined();
  });

  it("takes the payload as a type parameter without a schema", () => {
    const job = defineJob<{ userId: string }>({
      name: "untyped-schema",
      handler: (payload) => {
        expectTypeOf(payload).toEqualTypeOf<{ userId: string }>();
      },
    });
    expectTypeOf<JobInput<typeof job>>().toEqualTypeOf<{ userId: string }>();
    expectTypeOf<JobPayload<typeof job>>().toEqualTypeOf<{ userId: string }>();
    expect(job.schema).toBeUndefined();
  });

  it("types JobService.enqueue's payload as the schema's input", () => {
    const job = defineJob({
      name: "typed",
      schema: v.object({ count: v.pipe(v.string(), v.transform(Number)) }),
      handler: noop,
    });
    type EnqueuePayload = Parameters<typeof JobService.prototype.enqueue<typeof job>>[1];
    expectTypeOf<EnqueuePayload>().toEqualTypeOf<{ count: string }>();
    expectTypeOf<{ count: number }>().not.toExtend<EnqueuePayload>();
  });

  it("gives never for something that is not a job", () => {
    expectTypeOf<JobInput<string>>().toBeNever();
    expectTypeOf<JobPayload<{ name: string }>>().toBeNever();
  });
});

describe("definePeriodicJob", () => {
  it("keeps name, schedule and handler", () => {
    const handler = async (ctx: PeriodicJobContext) => {
      expectTypeOf(ctx.input).toBeUnknown();
      expectTypeOf(ctx.jobId).toBeString();
    };
    const job = definePeriodicJob({ name: "daily-cleanup", schedule: "rate(1 day)", handler });
    expect(job).toEqual({
      kind: "periodic",
      name: "daily-cleanup",
      schedule: "rate(1 day)",
      handler,
    });
    expect(Object.isFrozen(job)).toBe(true);
  });

  it("allows no schedule", () => {
    expect(definePeriodicJob({ name: "manual", handler: noop }).schedule).toBeUndefined();
  });

  it.each([
    "rate(1 minute)",
    "rate(5 minutes)",
    "rate(1 hour)",
    "rate(12 hours)",
    "rate(1 day)",
    "rate(7 days)",
    "rate( 5 minutes )",
    "cron(0 3 * * ? *)",
    "cron(0/15 * * * ? *)",
  ])("accepts the schedule %j", (schedule) => {
    expect(definePeriodicJob({ name: "p", schedule, handler: noop }).schedule).toBe(schedule);
  });

  it.each([
    "",
    "daily",
    "rate(5 weeks)",
    "rate(minutes)",
    "rate(5minutes)",
    "rate(-1 days)",
    "cron()",
    "0 3 * * *",
    " rate(1 day)",
    "rate(1 day) ",
    "at(2025-01-01T00:00:00)",
  ])("rejects the schedule %j with a TypeError naming job and schedule", (schedule) => {
    expect(() => definePeriodicJob({ name: "p", schedule, handler: noop })).toThrow(TypeError);
    expect(() => definePeriodicJob({ name: "p", schedule, handler: noop })).toThrow(
      `Invalid schedule "${schedule}" for job "p"`,
    );
  });

  it("rejects an invalid name", () => {
    expect(() => definePeriodicJob({ name: "bad name", handler: noop })).toThrow(
      /Invalid job name/,
    );
  });

  it("needs a handler function", () => {
    expect(() => definePeriodicJob({ name: "p" } as never)).toThrow(
      'Periodic job "p" needs a handler function',
    );
  });
});
