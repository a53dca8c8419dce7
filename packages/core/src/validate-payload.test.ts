import type { StandardSchemaV1 } from "@standard-schema/spec";
import * as v from "valibot";
import { describe, expect, it } from "vitest";
import { defineJob } from "./define-job.js";
import { InvalidJobPayloadError } from "./errors.js";
import { validatePayload } from "./validate-payload.js";

const noop = () => {};

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
    expect(result.error.issues.map((i) => i.path)).toEqual([
      ["user", "id"],
      ["tags", 1],
    ]);
    expect(result.error.issues.every((i) => typeof i.message === "string")).toBe(true);
    expect(result.error.message).toMatch(
      /^Invalid payload for job "sync": user\.id: .+; tags\.1: /,
    );
  });

  it("maps an issue without a path to an issue without a path", () => {
    const job = defineJob({ name: "root", schema: v.string(), handler: noop });
    const result = validatePayload(job, 5);
    if (result instanceof Promise || result.ok) throw new Error("expected a sync failure");
    expect(result.error.issues).toHaveLength(1);
    expect(result.error.issues[0]).not.toHaveProperty("path");
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
    expect(result.error.issues).toEqual([{ message: "bad", path: ["a", 0, 1, "b", sym] }]);
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
    expect(result.error.issues).toEqual([{ message: "id must be a string", path: ["id"] }]);
    expect(result.error.message).toBe('Invalid payload for job "async": id: id must be a string');
  });

  it("turns a schema that throws into an invalid payload", () => {
    const job = defineJob({
      name: "throws",
      schema: schemaOf(() => {
        throw new Error("kaboom");
      }),
      handler: noop,
    });
    const result = validatePayload(job, {});
    if (result instanceof Promise || result.ok) throw new Error("expected a sync failure");
    expect(result.error).toBeInstanceOf(InvalidJobPayloadError);
    expect(result.error.issues).toEqual([{ message: "the schema threw: Error: kaboom" }]);
  });

  it("turns an asynchronous schema that rejects into an invalid payload", async () => {
    const job = defineJob({
      name: "rejects",
      schema: schemaOf(async () => {
        throw new Error("async kaboom");
      }),
      handler: noop,
    });
    const result = await validatePayload(job, {});
    if (result.ok) throw new Error("expected a failure");
    expect(result.error).toBeInstanceOf(InvalidJobPayloadError);
    expect(result.error.issues).toEqual([{ message: "the schema threw: Error: async kaboom" }]);
  });

  it("turns something that is not a schema into an invalid payload", () => {
    const job = defineJob({ name: "broken", handler: noop });
    const broken = { ...job, schema: {} as StandardSchemaV1 };
    const result = validatePayload(broken, {});
    if (result instanceof Promise || result.ok) throw new Error("expected a sync failure");
    expect(result.error.issues[0]?.message).toMatch(/^the schema threw: TypeError/);
  });
});
