import { describe, expect, it } from "vitest";
import { findNonJsonValues } from "./json-value.js";

describe("findNonJsonValues", () => {
  it("accepts JSON values", () => {
    expect(findNonJsonValues(null)).toEqual([]);
    expect(findNonJsonValues("s")).toEqual([]);
    expect(findNonJsonValues(0)).toEqual([]);
    expect(findNonJsonValues(-1.5)).toEqual([]);
    expect(findNonJsonValues(true)).toEqual([]);
    expect(findNonJsonValues([])).toEqual([]);
    expect(findNonJsonValues({ a: [1, "two", { three: null }], b: { c: false }, d: "" })).toEqual(
      [],
    );
  });

  it("refuses a Date and other values with toJSON: the handler would get their JSON form", () => {
    expect(findNonJsonValues({ when: new Date(0) })).toEqual([
      {
        message: expect.stringMatching(
          /a Date arrives in the handler as a string: send date.toISOString\(\)/,
        ),
        path: ["when"],
      },
    ]);
    expect(findNonJsonValues(new Date(0))).toHaveLength(1);
    expect(findNonJsonValues({ custom: { toJSON: () => "x" } })).toEqual([
      { message: expect.stringMatching(/toJSON/), path: ["custom"] },
    ]);
  });

  it("refuses the keys the worker refuses, at any depth", () => {
    const hostile = JSON.parse('{"a":{"__proto__":{"x":1}},"b":[{"constructor":1}],"prototype":2}');
    expect(findNonJsonValues(hostile).map((issue) => issue.path)).toEqual([
      ["a", "__proto__"],
      ["b", 0, "constructor"],
      ["prototype"],
    ]);
  });

  it("accepts undefined object properties: they are the same as missing keys", () => {
    expect(findNonJsonValues({ a: undefined, b: 1 })).toEqual([]);
  });

  it("accepts the same object twice when it is not a cycle", () => {
    const shared = { x: 1 };
    expect(findNonJsonValues({ a: shared, b: shared, c: [shared, shared] })).toEqual([]);
  });

  it("rejects a top-level undefined", () => {
    expect(findNonJsonValues(undefined)).toEqual([
      { message: "the payload is undefined", path: [] },
    ]);
  });

  it("rejects functions", () => {
    expect(findNonJsonValues(() => {})).toEqual([
      { message: "a function cannot be serialised to JSON", path: [] },
    ]);
    expect(findNonJsonValues({ callback: () => {} })).toEqual([
      { message: "a function cannot be serialised to JSON", path: ["callback"] },
    ]);
  });

  it("rejects BigInts", () => {
    expect(findNonJsonValues({ amount: 10n })).toEqual([
      { message: "a BigInt cannot be serialised to JSON; send it as a string", path: ["amount"] },
    ]);
  });

  it("rejects symbols", () => {
    expect(findNonJsonValues({ tag: Symbol("t") })).toEqual([
      { message: "a symbol cannot be serialised to JSON", path: ["tag"] },
    ]);
  });

  it("rejects NaN and infinities", () => {
    expect(findNonJsonValues([Number.NaN, Number.POSITIVE_INFINITY, -Infinity])).toEqual([
      { message: "NaN is not valid JSON (it would become null)", path: [0] },
      { message: "Infinity is not valid JSON (it would become null)", path: [1] },
      { message: "-Infinity is not valid JSON (it would become null)", path: [2] },
    ]);
  });

  it("rejects cycles, with the path where the cycle closes", () => {
    const root: Record<string, unknown> = { a: { b: {} } };
    (root.a as { b: Record<string, unknown> }).b.back = root;
    expect(findNonJsonValues(root)).toEqual([
      { message: "circular reference", path: ["a", "b", "back"] },
    ]);
    const list: unknown[] = [1];
    list.push(list);
    expect(findNonJsonValues(list)).toEqual([{ message: "circular reference", path: [1] }]);
  });

  it("rejects Map and Set", () => {
    expect(findNonJsonValues({ m: new Map([["k", 1]]), s: new Set([1]) })).toEqual([
      { message: "a Map would be serialised as {}; use an array or object", path: ["m"] },
      { message: "a Set would be serialised as {}; use an array or object", path: ["s"] },
    ]);
  });

  it("rejects undefined in arrays, including holes of sparse arrays", () => {
    expect(findNonJsonValues({ list: [1, undefined, 3] })).toEqual([
      { message: "undefined in an array would become null", path: ["list", 1] },
    ]);
    // biome-ignore lint/suspicious/noSparseArray: a hole is what this test is about.
    const sparse = [1, , 3];
    expect(JSON.stringify(sparse)).toBe("[1,null,3]");
    expect(findNonJsonValues(sparse)).toEqual([
      { message: "undefined in an array would become null", path: [1] },
    ]);
  });

  it("reports every bad value with its full nested path", () => {
    const issues = findNonJsonValues({
      user: { profile: { tags: ["ok", { score: Number.NaN }], fn: () => {} } },
      ok: 1,
      amounts: [1n],
    });
    expect(issues.map((i) => i.path)).toEqual([
      ["user", "profile", "tags", 1, "score"],
      ["user", "profile", "fn"],
      ["amounts", 0],
    ]);
  });
});
