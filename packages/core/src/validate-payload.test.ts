import vm from "node:vm";
import type { StandardSchemaV1 } from "@standard-schema/spec";
import * as v from "valibot";
import { describe, expect, it } from "vitest";
import { defineJob } from "./define-job.js";
import { InvalidJobPayloadError, ValidatorError } from "./errors.js";
import { JobService } from "./job-service.js";
import { FakeQueueDriver } from "./test-fake-driver.js";
import { validatePayload } from "./validate-payload.js";

const noop = () => {};

/** The error as the payload's issues, failing the test when the schema threw instead. */
function invalidOf(error: InvalidJobPayloadError | ValidatorError): InvalidJobPayloadError {
  if (!(error instanceof InvalidJobPayloadError)) throw new Error(`expected issues, got ${error}`);
  return error;
}

/** A hand-made asynchronous Standard Schema: accepts `{ id: string }` and upper-cases the id. */
const asyncSchema: StandardSchemaV1<{ id: string }, { id: string }> = {
  "~standard": {
    version: 1,
    vendor: "test",
    validate: async (value) => {
      await Promise.resolve();
      const id = (value as { id?: unknown } | null)?.id;
      if (typeof id !== "string") {
        return { issues: [{ message: "id must be a string", path: [{ key: "id" }] }] };
      }
      return { value: { id: id.toUpperCase() } };
    },
  },
};

function schemaOf(
  validate: StandardSchemaV1.Props<unknown, unknown>["validate"],
): StandardSchemaV1<unknown, unknown> {
  return { "~standard": { version: 1, vendor: "test", validate } };
}

describe("validatePayload", () => {
  it("returns a job without a schema's payload as it is, synchronously", () => {
    const job = defineJob<{ a: number }>({ name: "no-schema", handler: noop });
    const payload = { a: 1 };
    const result = validatePayload(job, payload);
    expect(result).not.toBeInstanceOf(Promise);
    expect(result).toEqual({ ok: true, value: payload });
    if (!(result instanceof Promise) && result.ok) expect(result.value).toBe(payload);
  });

  it("stays synchronous with a synchronous schema and returns its output", () => {
    const job = defineJob({
      name: "sync",
      schema: v.object({ count: v.pipe(v.string(), v.transform(Number)) }),
      handler: noop,
    });
    const result = validatePayload(job, { count: "42" });
    expect(result).not.toBeInstanceOf(Promise);
    expect(result).toEqual({ ok: true, value: { count: 42 } });
  });

  it("maps a synchronous schema's issues with their paths", () => {
    const job = defineJob({
      name: "sync",
      schema: v.object({ user: v.object({ id: v.string() }), tags: v.array(v.string()) }),
      handler: noop,
    });
    const result = validatePayload(job, { user: { id: 7 }, tags: ["a", 3] });
    if (result instanceof Promise || result.ok) throw new Error("expected a sync failure");
    expect(result.error).toBeInstanceOf(InvalidJobPayloadError);
    expect(result.error.jobName).toBe("sync");
    expect(invalidOf(result.error).issues.map((i) => i.path)).toEqual([
      ["user", "id"],
      ["tags", 1],
    ]);
    expect(invalidOf(result.error).issues.every((i) => typeof i.message === "string")).toBe(true);
    expect(result.error.message).toMatch(
      /^Invalid payload for job "sync": user\.id: .+; tags\.1: /,
    );
  });

  it("maps an issue without a path to an issue without a path", () => {
    const job = defineJob({ name: "root", schema: v.string(), handler: noop });
    const result = validatePayload(job, 5);
    if (result instanceof Promise || result.ok) throw new Error("expected a sync failure");
    expect(invalidOf(result.error).issues).toHaveLength(1);
    expect(invalidOf(result.error).issues[0]).not.toHaveProperty("path");
  });

  it("maps path segments given as PathSegment objects and as bare keys", () => {
    const sym = Symbol("s");
    const job = defineJob({
      name: "mixed",
      schema: schemaOf(() => ({
        issues: [{ message: "bad", path: [{ key: "a" }, 0, { key: 1 }, "b", { key: sym }] }],
      })),
      handler: noop,
    });
    const result = validatePayload(job, {});
    if (result instanceof Promise || result.ok) throw new Error("expected a sync failure");
    expect(invalidOf(result.error).issues).toEqual([
      { message: "bad", path: ["a", 0, 1, "b", sym] },
    ]);
  });

  it("returns a promise for an asynchronous schema, with its output", async () => {
    const job = defineJob({ name: "async", schema: asyncSchema, handler: noop });
    const result = validatePayload(job, { id: "abc" });
    expect(result).toBeInstanceOf(Promise);
    expect(await result).toEqual({ ok: true, value: { id: "ABC" } });
  });

  it("maps an asynchronous schema's issues with their paths", async () => {
    const job = defineJob({ name: "async", schema: asyncSchema, handler: noop });
    const result = await validatePayload(job, { id: 1 });
    if (result.ok) throw new Error("expected a failure");
    expect(result.error).toBeInstanceOf(InvalidJobPayloadError);
    expect(invalidOf(result.error).issues).toEqual([
      { message: "id must be a string", path: ["id"] },
    ]);
    expect(result.error.message).toBe('Invalid payload for job "async": id: id must be a string');
  });

  // A thrown validator (an async check whose service is down) is no proof the payload is wrong:
  // ValidatorError is transient, so the worker retries instead of dead-lettering at once.
  it("turns a schema that throws into a ValidatorError, not an invalid payload", () => {
    const kaboom = new Error("kaboom");
    const job = defineJob({
      name: "throws",
      schema: schemaOf(() => {
        throw kaboom;
      }),
      handler: noop,
    });
    const result = validatePayload(job, {});
    if (result instanceof Promise || result.ok) throw new Error("expected a sync failure");
    expect(result.error).toBeInstanceOf(ValidatorError);
    expect(result.error).toMatchObject({ code: "VALIDATOR_FAILED", jobName: "throws" });
    expect(result.error.cause).toBe(kaboom);
  });

  it("turns an asynchronous schema that rejects (network error) into a ValidatorError", async () => {
    const job = defineJob({
      name: "rejects",
      schema: schemaOf(async () => {
        throw new Error("getaddrinfo ENOTFOUND fraud-check.internal");
      }),
      handler: noop,
    });
    const result = await validatePayload(job, {});
    if (result.ok) throw new Error("expected a failure");
    expect(result.error).toBeInstanceOf(ValidatorError);
    expect((result.error.cause as Error).message).toMatch(/ENOTFOUND/);
  });

  it("turns something that is not a schema into a ValidatorError", () => {
    const job = defineJob({ name: "broken", handler: noop });
    const broken = { ...job, schema: {} as StandardSchemaV1 };
    const result = validatePayload(broken, {});
    if (result instanceof Promise || result.ok) throw new Error("expected a sync failure");
    expect(result.error).toBeInstanceOf(ValidatorError);
    expect(result.error.cause).toBeInstanceOf(TypeError);
  });

  describe("with a schema that returns a Promise from another realm (node:vm)", () => {
    const realm = vm.createContext({});
    const foreign = (code: string) => schemaOf(() => vm.runInContext(code, realm));

    it("awaits it and refuses the payload when it resolves with issues", async () => {
      const job = defineJob({
        name: "vm-rejects",
        schema: foreign('Promise.resolve({ issues: [{ message: "nope", path: ["id"] }] })'),
        handler: noop,
      });
      const pending = validatePayload(job, { id: 1 });
      expect(vm.runInContext("Promise", realm)).not.toBe(Promise);
      const result = await pending;
      if (result.ok) throw new Error("a cross-realm promise with issues must not pass");
      expect(result.error).toBeInstanceOf(InvalidJobPayloadError);
      expect(invalidOf(result.error).issues).toEqual([{ message: "nope", path: ["id"] }]);
    });

    it("makes enqueue refuse the payload (the producer side of the bypass)", async () => {
      const driver = new FakeQueueDriver();
      const job = defineJob({
        name: "vm-enqueue",
        schema: foreign('Promise.resolve({ issues: [{ message: "always wrong" }] })'),
        handler: noop,
      });
      await expect(new JobService(driver).enqueue(job, { id: 1 } as never)).rejects.toBeInstanceOf(
        InvalidJobPayloadError,
      );
      expect(driver.sent).toEqual([]);
    });

    it("returns its value when it resolves with a success", async () => {
      const job = defineJob({
        name: "vm-accepts",
        schema: foreign('Promise.resolve({ value: { id: "A" } })'),
        handler: noop,
      });
      expect(await validatePayload(job, { id: "a" })).toEqual({ ok: true, value: { id: "A" } });
    });

    it("turns its rejection into a ValidatorError", async () => {
      const job = defineJob({
        name: "vm-throws",
        schema: foreign('Promise.reject(new Error("down"))'),
        handler: noop,
      });
      const result = await validatePayload(job, {});
      expect(result.ok).toBe(false);
      if (!result.ok) expect(result.error).toBeInstanceOf(ValidatorError);
    });
  });

  it("awaits any thenable a schema returns, not only a Promise", async () => {
    const thenable = {
      // biome-ignore lint/suspicious/noThenProperty: a hand-made thenable is the point of this test
      then: (resolve: (r: unknown) => void) => resolve({ issues: [{ message: "no" }] }),
    };
    const job = defineJob({
      name: "thenable",
      schema: schemaOf(() => thenable as never),
      handler: noop,
    });
    const result = await validatePayload(job, {});
    expect(result.ok).toBe(false);
  });

  it.each([
    ["undefined", undefined],
    ["null", null],
    ["a bare value", 42],
    ["an object without value or issues", {}],
    ["issues that are not a list", { issues: "bad" }],
  ])("never passes a result that is %s, neither a success nor issues", (_, returned) => {
    const job = defineJob({
      name: "odd",
      schema: schemaOf(() => returned as never),
      handler: noop,
    });
    const result = validatePayload(job, { id: 1 });
    if (result instanceof Promise || result.ok) throw new Error("a malformed result must fail");
    expect(result.error).toBeInstanceOf(InvalidJobPayloadError);
    expect(result.error.message).toBe(
      'Invalid payload for job "odd": the schema returned neither a value nor a list of issues',
    );
  });

  it("fails an empty list of issues rather than passing it", () => {
    const job = defineJob({
      name: "empty",
      schema: schemaOf(() => ({ issues: [] })),
      handler: noop,
    });
    const result = validatePayload(job, {});
    expect(!(result instanceof Promise) && result.ok).toBe(false);
  });

  it("redacts the received value valibot quotes, keeping the path and the expectation", () => {
    const job = defineJob({
      name: "charge",
      schema: v.object({
        card: v.object({ number: v.number(), cvc: v.pipe(v.string(), v.length(3)) }),
      }),
      handler: noop,
    });
    const result = validatePayload(job, { card: { number: "4111 1111 1111 1111", cvc: "98765" } });
    if (result instanceof Promise || result.ok) throw new Error("expected a sync failure");
    expect(result.error.message).not.toContain("4111");
    expect(result.error.message).not.toContain("98765");
    expect(invalidOf(result.error).issues).toEqual([
      {
        path: ["card", "number"],
        message: "Invalid type: Expected number but received [redacted]",
      },
      { path: ["card", "cvc"], message: "Invalid length: Expected 3 but received [redacted]" },
    ]);
  });
});
