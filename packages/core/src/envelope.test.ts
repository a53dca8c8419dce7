import { afterEach, describe, expect, it } from "vitest";
import {
  decodeEnvelope,
  ENVELOPE_VERSION,
  encodeEnvelope,
  JOB_NAME_ATTRIBUTE,
  type JobEnvelope,
} from "./envelope.js";
import { InvalidEnvelopeError, type InvalidEnvelopeReason, isJobError } from "./errors.js";

const valid = {
  v: 1,
  id: "job-1",
  name: "send-email",
  payload: { userId: "u_1", tags: ["a", "b"], nested: { n: 1 } },
  enqueuedAt: "2025-01-02T03:04:05.678Z",
};

/** Encodes `valid` with fields replaced (`undefined` removes a field). */
function body(overrides: Record<string, unknown> = {}): string {
  return JSON.stringify({ ...valid, ...overrides });
}

function expectFailure(input: string, reason: InvalidEnvelopeReason): InvalidEnvelopeError {
  let result: ReturnType<typeof decodeEnvelope> | undefined;
  expect(() => {
    result = decodeEnvelope(input);
  }).not.toThrow();
  if (!result || result.ok) throw new Error(`expected a failure for ${input}`);
  expect(result.error).toBeInstanceOf(InvalidEnvelopeError);
  expect(isJobError(result.error, "INVALID_ENVELOPE")).toBe(true);
  expect(result.error.reason).toBe(reason);
  expect(result.error.message).toContain(`(${reason})`);
  return result.error;
}

describe("constants", () => {
  it("writes version 1 and names the job attribute", () => {
    expect(ENVELOPE_VERSION).toBe(1);
    expect(JOB_NAME_ATTRIBUTE).toBe("glasswork.job");
  });
});

describe("encodeEnvelope / decodeEnvelope", () => {
  it("round-trips a full envelope", () => {
    const envelope: JobEnvelope = {
      ...valid,
      v: 1,
      runAt: "2025-01-03T00:00:00.000Z",
      meta: { traceparent: "00-abc-def-01", tenant: "t1" },
    };
    const encoded = encodeEnvelope(envelope);
    expect(JSON.parse(encoded)).toEqual(envelope);
    expect(decodeEnvelope(encoded)).toEqual({ ok: true, envelope });
  });

  it("round-trips a minimal envelope with a null payload", () => {
    const envelope: JobEnvelope = { ...valid, v: 1, payload: null };
    expect(decodeEnvelope(encodeEnvelope(envelope))).toEqual({ ok: true, envelope });
  });

  it("round-trips payload strings that merely mention forbidden words or \\u escapes", () => {
    const envelope: JobEnvelope = {
      ...valid,
      v: 1,
      payload: { text: "__proto__ constructor prototype", path: "C:\\users\\x", emoji: "\u00e9" },
    };
    expect(decodeEnvelope(encodeEnvelope(envelope))).toEqual({ ok: true, envelope });
  });

  it("accepts unknown top-level fields (a newer producer)", () => {
    const result = decodeEnvelope(body({ priority: 5, traceId: "x" }));
    expect(result.ok).toBe(true);
    if (result.ok) expect(result.envelope).toMatchObject({ ...valid, priority: 5 });
  });

  it("accepts an empty meta and offset timestamps", () => {
    expect(decodeEnvelope(body({ meta: {} })).ok).toBe(true);
    expect(decodeEnvelope(body({ enqueuedAt: "2025-01-02T03:04:05+02:00" })).ok).toBe(true);
    expect(decodeEnvelope(body({ runAt: "2025-01-02T03:04:05Z" })).ok).toBe(true);
  });
});

describe("decodeEnvelope rejects, never throws", () => {
  it.each(["", "not json", "{", '{"v":1,', "undefined", "{'v':1}"])("not-json: %j", (input) => {
    const error = expectFailure(input, "not-json");
    expect(error.cause).toBeInstanceOf(SyntaxError);
  });

  it.each(["[]", "[1,2]", '"a string"', "null", "42", "true"])("not-object: %s", (input) => {
    expectFailure(input, "not-object");
  });

  it("unsupported-version: v missing", () => {
    const error = expectFailure(body({ v: undefined }), "unsupported-version");
    expect(error.message).toContain("got nothing");
  });

  it.each([2, "1", 0, null, 1.5])("unsupported-version: v = %j", (v) => {
    const error = expectFailure(body({ v }), "unsupported-version");
    expect(error.message).toContain(`got ${JSON.stringify(v)}`);
  });

  it.each([undefined, "", 42, null, ["a"]])("missing-name: name = %j", (name) => {
    expectFailure(body({ name }), "missing-name");
  });

  it.each([undefined, "", 7, null])("missing-id: id = %j", (id) => {
    expectFailure(body({ id }), "missing-id");
  });

  it("invalid-field: payload missing", () => {
    const error = expectFailure(body({ payload: undefined }), "invalid-field");
    expect(error.message).toContain("payload");
  });

  it.each([
    undefined,
    "",
    "yesterday",
    "1",
    "March 7, 2025",
    "2025-13-45T00:00:00Z",
    1735787045678,
    null,
  ])("invalid-field: enqueuedAt = %j", (enqueuedAt) => {
    const error = expectFailure(body({ enqueuedAt }), "invalid-field");
    expect(error.message).toContain("enqueuedAt");
  });

  it("reads toISOString()-shaped dates exactly as the ISO 8601 pattern does", () => {
    // The pattern the envelope documents; the decoder checks this one form by hand first.
    const iso =
      /^\d{4}-(0[1-9]|1[0-2])-(0[1-9]|[12]\d|3[01])(T([01]\d|2[0-3]):[0-5]\d(:[0-5]\d(\.\d{1,9})?)?(Z|[+-]\d{2}:\d{2}))?$/;
    const base = "2025-01-02T03:04:05.678Z";
    const replacements = [
      "0",
      "1",
      "2",
      "3",
      "5",
      "9",
      "-",
      ":",
      ".",
      "T",
      "Z",
      "+",
      " ",
      "a",
      "٣",
    ];
    const candidates = new Set<string>([
      "2025-12-31T23:59:59.999Z",
      "0000-01-01T00:00:00.000Z",
      "2025-02-31T00:00:00.000Z",
    ]);
    for (let i = 0; i < base.length; i++) {
      for (const r of replacements) candidates.add(`${base.slice(0, i)}${r}${base.slice(i + 1)}`);
      for (let j = i + 1; j < base.length; j += 3) {
        candidates.add(`${base.slice(0, i)}9${base.slice(i + 1, j)}9${base.slice(j + 1)}`);
      }
    }
    let accepted = 0;
    for (const enqueuedAt of candidates) {
      expect.soft(decodeEnvelope(body({ enqueuedAt })).ok, enqueuedAt).toBe(iso.test(enqueuedAt));
      if (iso.test(enqueuedAt)) accepted++;
    }
    // Both sides of the line are exercised.
    expect(accepted).toBeGreaterThan(20);
    expect(candidates.size - accepted).toBeGreaterThan(100);
  });

  it.each(["", "soon", "1", 1735787045678, null, {}])("invalid-field: runAt = %j", (runAt) => {
    const error = expectFailure(body({ runAt }), "invalid-field");
    expect(error.message).toContain("runAt");
  });

  it.each([
    ["a string", "x"],
    ["an array", ["a"]],
    ["null", null],
    ["a number value", { a: 1 }],
    ["a nested object", { a: { b: "c" } }],
    ["a null value", { a: null }],
  ])("invalid-field: meta is %s", (_label, meta) => {
    const error = expectFailure(body({ meta }), "invalid-field");
    expect(error.message).toContain("meta");
  });
});

describe("decodeEnvelope rejects prototype keys", () => {
  afterEach(() => {
    // Whatever happened, leave no trace for other tests.
    delete (Object.prototype as Record<string, unknown>).polluted;
  });

  it.each(["__proto__", "constructor", "prototype"])("at the top level: %s", (key) => {
    const input = `{"v":1,"id":"a","name":"n","payload":{},"enqueuedAt":"${valid.enqueuedAt}","${key}":{"polluted":true}}`;
    const error = expectFailure(input, "forbidden-key");
    expect(error.message).toContain(`"${key}"`);
  });

  it.each(["__proto__", "constructor", "prototype"])("deep in the payload: %s", (key) => {
    const input = `{"v":1,"id":"a","name":"n","enqueuedAt":"${valid.enqueuedAt}","payload":{"a":[1,{"b":{"${key}":{"polluted":true}}}]}}`;
    expectFailure(input, "forbidden-key");
  });

  it("in meta", () => {
    const input = `{"v":1,"id":"a","name":"n","payload":1,"enqueuedAt":"${valid.enqueuedAt}","meta":{"__proto__":"x"}}`;
    expectFailure(input, "forbidden-key");
  });

  it("spelled with a \\u escape", () => {
    const input = `{"v":1,"id":"a","name":"n","enqueuedAt":"${valid.enqueuedAt}","payload":{"\\u005f_proto__":{"polluted":true}}}`;
    expect(input).not.toContain('"__proto__"');
    expectFailure(input, "forbidden-key");
    const fullyEscaped = `{"v":1,"id":"a","name":"n","enqueuedAt":"${valid.enqueuedAt}","payload":{"\\u0063onstructor":1}}`;
    expectFailure(fullyEscaped, "forbidden-key");
  });

  it("inside an array body too", () => {
    expectFailure('[{"__proto__":{"polluted":true}}]', "forbidden-key");
  });

  it("does not pollute Object.prototype", () => {
    const hostile = [
      '{"__proto__":{"polluted":true}}',
      `{"v":1,"id":"a","name":"n","enqueuedAt":"${valid.enqueuedAt}","payload":{"__proto__":{"polluted":true}}}`,
      `{"v":1,"id":"a","name":"n","enqueuedAt":"${valid.enqueuedAt}","payload":{"\\u005f_proto__":{"polluted":true}}}`,
      '{"constructor":{"prototype":{"polluted":true}}}',
    ];
    for (const input of hostile) decodeEnvelope(input);
    expect(({} as Record<string, unknown>).polluted).toBeUndefined();
    expect(Object.hasOwn(Object.prototype, "polluted")).toBe(false);
  });
});
