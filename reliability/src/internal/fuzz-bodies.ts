import type { Random } from "./random.js";

/** How the worker must end a generated message. */
export type Expected =
  | "completed"
  /** Dead-lettered without any detail: the body leaves no room for one. */
  | "none"
  | "malformed"
  | "invalid-envelope"
  | "invalid-payload"
  | "unknown-job";

/** One generated message: its body, attributes, and what must become of it. */
export interface FuzzCase {
  readonly category: string;
  readonly body: string;
  readonly attributes: Readonly<Record<string, string>>;
  readonly expected: Expected;
  /** The attempt the dead-letter copy records; undefined when the body leaves it no room. */
  readonly attempt?: string;
  /** The job id, for valid jobs. */
  readonly jobId?: string;
}

/** The largest body the fuzzed queue takes (its MaximumMessageSize, no attributes). */
export const MAX_BODY_BYTES = 262_144;

/** What the reason attribute of a malformed message costs: name, type and value. */
const REASON_MALFORMED_BYTES = "glasswork.dlq.reason".length + "String".length + "malformed".length;
const HUGE_KINDS = 6;

/** The job the fuzzed worker knows. Its schema: `{ n: number, s: string ≤ 64, tags?: string[] }`. */
export const FUZZ_JOB = "reliability.fuzz";

/**
 * Characters SQS accepts in a body: #x9 #xA #xD #x20–#xD7FF #xE000–#xFFFD. (SQS also takes
 * #x10000–#x10FFFF; fauxqs 1.9.2 refuses them, so astral characters are left out.)
 */
function randomText(random: Random, length: number): string {
  const pools = [
    () => String.fromCharCode(random.int(0x20, 0x7e)),
    () => random.pick(["\t", "\n", "\r", '"', "\\", "{", "}", "[", "]", ":", ","]),
    () => String.fromCharCode(random.int(0xa0, 0xd7ff)),
    () => String.fromCharCode(random.int(0xe000, 0xfffd)),
  ];
  let text = "";
  while (text.length < length) text += random.pick(pools)();
  return text;
}

const validPayload = (random: Random) => ({
  n: random.int(-1_000_000, 1_000_000),
  s: randomText(random, random.int(0, 40)).slice(0, 64),
  ...(random.chance(0.3) && { tags: [randomText(random, 5), "x"] }),
});

function envelope(fields: Record<string, unknown>, nonce: string): Record<string, unknown> {
  return {
    v: 1,
    id: nonce,
    name: FUZZ_JOB,
    payload: { n: 1, s: "ok" },
    enqueuedAt: new Date(Date.UTC(2026, 0, 1)).toISOString(),
    ...fields,
  };
}

function nest(depth: number, leaf: unknown, wrap: (inner: unknown) => unknown): unknown {
  let value = leaf;
  for (let i = 0; i < depth; i++) value = wrap(value);
  return value;
}

/**
 * Generates `count` messages: valid jobs mixed with every kind of poison the worker must survive.
 * Every body carries a unique nonce, so that the test can find each one in the dead-letter queue.
 */
export function generateFuzzCases(random: Random, count: number): FuzzCase[] {
  const cases: FuzzCase[] = [];
  const jobAttr = (name: string) => ({ "glasswork.job": name });
  for (let i = 0; i < count; i++) {
    const nonce = `fuzz-${i}-${random.int(0, 1e9).toString(36)}`;
    // The first few are the huge ones, two of each kind; later ones are huge only rarely (they
    // cost time, not coverage).
    const roll = i < HUGE_KINDS * 2 ? 1 : random.next();
    const json = (value: unknown) => JSON.stringify(value);
    const add = (
      category: string,
      body: string,
      expected: Expected,
      attributes = {},
      // null: the body leaves the dead-letter copy no room for the attempt.
      attempt: string | null = expected === "unknown-job" ? "2" : "1",
    ) =>
      cases.push({
        category,
        body,
        expected,
        attributes,
        ...(expected === "completed" ? { jobId: nonce } : attempt !== null && { attempt }),
      });

    if (roll < 0.25) {
      // Valid jobs, some with meta, unknown top-level fields (a newer producer) or a lying
      // job-name attribute (the envelope's name is what counts).
      const extra = random.pick([
        {},
        {
          meta: {
            traceparent: "00-0af7651916cd43dd8448eb211c80319c-b7ad6b7169203331-01",
            k: randomText(random, 8),
          },
        },
        { futureField: { nested: [1, 2, 3] }, runAt: "2020-01-01T00:00:00Z" },
      ]);
      const attributes = random.chance(0.2) ? jobAttr("some.other-job") : jobAttr(FUZZ_JOB);
      add(
        "valid",
        json(envelope({ payload: validPayload(random), ...extra }, nonce)),
        "completed",
        attributes,
      );
    } else if (roll < 0.35) {
      // Not JSON at all.
      const body = random.pick([
        () => `${nonce} ${randomText(random, random.int(1, 200))}`,
        () => `${json(envelope({}, nonce)).slice(0, -random.int(1, 20))}`, // truncated
        () => `{"v":1,"id":"${nonce}",}`, // trailing comma
        () => `{'v':1,'id':'${nonce}'}`, // single quotes
        () => `NaN ${nonce}`,
        () => `undefined // ${nonce}`,
        () => `{"v":1,"id":"${nonce}","payload":0x1F}`,
        () => `\u{feff}${json(envelope({}, nonce))}`, // byte-order mark
      ])();
      add("not-json", body, "malformed");
    } else if (roll < 0.42) {
      // JSON, but not an object.
      const body = random.pick([
        () => json(nonce),
        () => `${random.int(0, 1e9)}.${i}`,
        () => `[${json(envelope({}, nonce))}]`,
        () => `[null,"${nonce}"]`,
        () => `[true,"${nonce}"]`,
      ])();
      add("not-an-object", body, "invalid-envelope");
    } else if (roll < 0.55) {
      // An envelope with a field of the wrong type, missing, or of an unknown version.
      const broken = random.pick<Record<string, unknown>>([
        { v: "1" },
        { v: 2 },
        { v: 0 },
        { v: null },
        { v: 1.0000001 },
        { v: undefined },
        { id: 5 },
        { id: "" },
        { id: undefined },
        { id: ["a"] },
        { name: [] },
        { name: "" },
        { name: undefined },
        { name: { toString: "x" } },
        { enqueuedAt: "yesterday" },
        { enqueuedAt: 1_767_225_600_000 },
        { enqueuedAt: undefined },
        { enqueuedAt: "2026-13-45T99:99:99Z" },
        { runAt: "soon" },
        { runAt: 42 },
        { meta: { k: 1 } },
        { meta: ["x"] },
        { meta: "x" },
        { meta: { k: { nested: "x" } } },
        { payload: undefined },
      ]);
      const fields = { ...envelope({}, nonce), ...broken };
      for (const [key, value] of Object.entries(broken))
        if (value === undefined) delete fields[key];
      // Keep the nonce somewhere when the id itself is what is broken.
      add(`wrong-type:${Object.keys(broken)[0]}`, json({ ...fields, nonce }), "invalid-envelope");
    } else if (roll < 0.65) {
      // Prototype-pollution keys, anywhere, spelled out or escaped. (A computed ["__proto__"]
      // key is an own property, so JSON.stringify writes it.)
      const polluter = { polluted: `yes-${nonce}` };
      const rest = json(envelope({}, nonce)).slice(1);
      const bodies = [
        () => `{"__proto__":${json(polluter)},${rest}`,
        () =>
          json(
            envelope({ payload: { n: 1, s: "ok", constructor: { prototype: polluter } } }, nonce),
          ),
        () =>
          json(
            envelope(
              { payload: nest(30, { ["__proto__"]: polluter }, (inner) => ({ a: inner })) },
              nonce,
            ),
          ),
        () => json(envelope({ meta: { prototype: "x" } }, nonce)),
        () => `{"\\u005f\\u005fproto\\u005f\\u005f":${json(polluter)},${rest}`,
        () =>
          json(envelope({ payload: { n: 1, s: "ok", tags: [{ constructor: polluter }] } }, nonce)),
        () =>
          `{"payload":{"n":1,"s":"ok","__proto__":${json(polluter)}},${json(envelope({}, nonce)).slice(1).replace('"payload":{"n":1,"s":"ok"},', "")}`,
      ];
      const pick = random.int(0, bodies.length - 1);
      add(`forbidden-key:${pick}`, (bodies[pick] as () => string)(), "invalid-envelope");
    } else if (roll < 0.75) {
      // Unknown job names: a deploy skew, or junk.
      const name = random.pick([
        () => "reliability.not-deployed-yet",
        () => `${FUZZ_JOB}-v2`,
        () => "../../etc/passwd",
        () => "☃ مرحبا 名前",
        () => "toString",
        () => "hasOwnProperty",
        () => "__defineGetter__",
        () => randomText(random, random.int(1, 300)),
      ])();
      add(
        "unknown-name",
        json(envelope({ name, payload: validPayload(random) }, nonce)),
        "unknown-job",
        jobAttr("x"),
      );
    } else if (roll < 0.995) {
      // Payloads that fail the schema.
      const payload = random.pick<unknown>([
        null,
        [],
        "just a string",
        42,
        { n: "1", s: "x" },
        { n: 1, s: 2 },
        { n: 1 },
        { s: "x" },
        { n: Number.MAX_VALUE, s: "x".repeat(65) },
        { n: 1, s: "x", tags: [1, 2] },
        { n: 1, s: "x", tags: "not-an-array" },
        { n: 1, s: "x", tags: nest(2_000, "leaf", (inner) => [inner]) },
        nest(3_000, 1, (inner) => [inner]),
        nest(1_000, 1, (inner) => ({ n: inner })),
        { n: 1, s: randomText(random, 2_000) },
      ]);
      add("invalid-payload", json(envelope({ payload }, nonce)), "invalid-payload");
    } else {
      // Huge strings, up to the queue's 256 KiB limit.
      const big = (bytes: number) => "x".repeat(bytes);
      const huge: [() => string, Expected, (string | null)?][] = [
        [() => json(envelope({ payload: { n: 1, s: big(200_000) } }, nonce)), "invalid-payload"],
        [() => json(envelope({ name: `huge-${big(150_000)}` }, nonce)), "unknown-job"],
        [() => `${nonce}:${big(200_000)}`, "malformed"],
        [
          () =>
            json(
              envelope(
                {
                  payload: {
                    n: 1,
                    s: "ok",
                    tags: Array.from({ length: 20_000 }, (_, t) => `t${t}`),
                  },
                },
                nonce,
              ),
            ),
          "completed",
        ],
        // Room for the reason and nothing more: the dead-letter copy drops the other details.
        [
          () => `${nonce}:${big(MAX_BODY_BYTES - REASON_MALFORMED_BYTES - nonce.length - 1)}`,
          "malformed",
          null,
        ],
        // As large as the queue takes: no room for any detail, the copy goes bare.
        [() => `${nonce}:${big(MAX_BODY_BYTES - nonce.length - 1)}`, "none", null],
      ];
      const kind = i < HUGE_KINDS * 2 ? i % HUGE_KINDS : random.int(0, huge.length - 1);
      const [body, expected, attempt] = huge[kind] as [() => string, Expected, (string | null)?];
      add(`huge:${kind}`, body(), expected, {}, ...(attempt === null ? [null] : []));
    }
  }
  return cases;
}
