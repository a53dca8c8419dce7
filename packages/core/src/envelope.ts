import { InvalidEnvelopeError } from "./errors.js";
import { FORBIDDEN_KEYS } from "./internal/json-value.js";
import { isPayloadClaim, type PayloadClaim } from "./payload-store.js";

/** The wire format of a job: the JSON body of one queue message. */
export interface JobEnvelope {
  /** Format version. */
  readonly v: 1;
  /** Job id: stable across retries and redeliveries. */
  readonly id: string;
  /** Job name: the job's wire identity. */
  readonly name: string;
  /** The payload as it was enqueued (the schema's input); absent when `claim` is set. */
  readonly payload?: unknown;
  /** Where the payload is when it was too large for the queue (see `PayloadStore`). */
  readonly claim?: PayloadClaim;
  /** When the job was first enqueued, ISO 8601. */
  readonly enqueuedAt: string;
  /** When the job is due, ISO 8601; set when the delay is longer than the transport can wait. */
  readonly runAt?: string;
  /**
   * When the job stops being worth running, ISO 8601 (from `expiresIn` or the job's
   * `expiresAfter`). Optional and additive: envelope v1 stays the same version, and workers older
   * than this field ignore it (they run an expired job as before).
   */
  readonly expiresAt?: string;
  /** String map for propagation (`traceparent`, `tracestate`) and user metadata. */
  readonly meta?: Readonly<Record<string, string>>;
}

/** The envelope version this package writes and reads. */
export const ENVELOPE_VERSION = 1;

/** Message attribute that carries the job name, for the console and for filtering. */
export const JOB_NAME_ATTRIBUTE = "glasswork.job";

/** The result of {@link decodeEnvelope}: never throws. */
export type DecodeEnvelopeResult =
  | { readonly ok: true; readonly envelope: JobEnvelope }
  | { readonly ok: false; readonly error: InvalidEnvelopeError };

// JSON.stringify escapes control characters and lone surrogates, but leaves U+FFFE and U+FFFF
// raw, and SQS refuses them. Outside strings a body is ASCII, so escaping them everywhere only
// touches string contents, and the JSON means the same.
const NONCHARACTER = /[\uFFFE\uFFFF]/;
const NONCHARACTERS = /[\uFFFE\uFFFF]/g;

/**
 * Serialises an envelope to a message body that SQS accepts whatever the payload's strings hold:
 * U+FFFE and U+FFFF are written as `\ufffe`/`\uffff` escapes (valid JSON, decoded unchanged).
 */
export function encodeEnvelope(envelope: JobEnvelope): string {
  const body = JSON.stringify(envelope);
  return NONCHARACTER.test(body)
    ? body.replace(NONCHARACTERS, (c) => `\\u${c.charCodeAt(0).toString(16)}`)
    : body;
}

// A key can only decode to a forbidden name if the body spells it out or uses a \u escape,
// so most bodies skip the slower key-by-key check. "proto" covers `__proto__` and `prototype`:
// three scans of the body instead of four, on every message.
function maybeForbidden(body: string): boolean {
  return body.includes("proto") || body.includes("constructor") || body.includes("\\u");
}

/**
 * Parses a message body defensively: every bad input gives a typed failure, never a throw.
 * Bodies with `__proto__`, `constructor` or `prototype` keys anywhere are rejected, because
 * payloads are untrusted input. Unknown top-level fields are ignored, so that a newer producer
 * can add optional fields without breaking an older worker.
 *
 * @example
 * // given: record
 * const result = decodeEnvelope(record.body);
 * if (!result.ok) console.error(result.error.reason);
 */
export function decodeEnvelope(body: string): DecodeEnvelopeResult {
  let parsed: unknown;
  let forbidden: string | undefined;
  try {
    parsed = maybeForbidden(body)
      ? JSON.parse(body, (key, value) => {
          if (FORBIDDEN_KEYS.has(key)) forbidden ??= key;
          return value;
        })
      : JSON.parse(body);
  } catch (cause) {
    return fail("not-json", "the body is not valid JSON", cause);
  }
  if (forbidden !== undefined)
    return fail("forbidden-key", `the body contains a "${forbidden}" key`);
  if (typeof parsed !== "object" || parsed === null || Array.isArray(parsed)) {
    return fail("not-object", "the body is not a JSON object");
  }
  const raw = parsed as Record<string, unknown>;
  if (raw.v !== ENVELOPE_VERSION) {
    return fail(
      "unsupported-version",
      `expected v=${ENVELOPE_VERSION}, got ${JSON.stringify(raw.v) ?? "nothing"}`,
    );
  }
  if (typeof raw.name !== "string" || raw.name.length === 0) {
    return fail("missing-name", "the job name is missing or empty");
  }
  if (typeof raw.id !== "string" || raw.id.length === 0) {
    return fail("missing-id", "the job id is missing or empty");
  }
  if (raw.claim !== undefined) {
    if ("payload" in raw)
      return fail("invalid-field", "the envelope has both a payload and a claim");
    if (!isPayloadClaim(raw.claim)) return fail("invalid-field", "claim is not a payload claim");
  } else if (!("payload" in raw)) return fail("invalid-field", "the payload is missing");
  if (!isIsoDate(raw.enqueuedAt)) return fail("invalid-field", "enqueuedAt is not an ISO date");
  if (raw.runAt !== undefined && !isIsoDate(raw.runAt)) {
    return fail("invalid-field", "runAt is not an ISO date");
  }
  if (raw.expiresAt !== undefined && !isIsoDate(raw.expiresAt)) {
    return fail("invalid-field", "expiresAt is not an ISO date");
  }
  if (raw.meta !== undefined && !isStringMap(raw.meta)) {
    return fail("invalid-field", "meta is not a map of strings");
  }
  return { ok: true, envelope: raw as unknown as JobEnvelope };
}

function fail(
  reason: InvalidEnvelopeError["reason"],
  message: string,
  cause?: unknown,
): DecodeEnvelopeResult {
  return { ok: false, error: new InvalidEnvelopeError(reason, message, { cause }) };
}

// `Date.parse` alone accepts "1" or "March 7, 2024"; the envelope carries ISO 8601 only.
const ISO_DATE =
  /^\d{4}-(0[1-9]|1[0-2])-(0[1-9]|[12]\d|3[01])(T([01]\d|2[0-3]):[0-5]\d(:[0-5]\d(\.\d{1,9})?)?(Z|[+-]\d{2}:\d{2}))?$/;

// The pattern alone, without Date.parse: it runs for every message on the worker's hot path.
// Its ranges catch month 13 or hour 25; a 31st of February would read as an invalid Date, which
// no outcome depends on. What producers write — `toISOString()`, 24 characters — is checked
// character by character first, at a fraction of the pattern's cost; anything else goes to it.
function isIsoDate(value: unknown): value is string {
  if (typeof value !== "string") return false;
  return (value.length === 24 && isCanonicalIsoDate(value)) || ISO_DATE.test(value);
}

// `YYYY-MM-DDTHH:mm:ss.sssZ`, with the pattern's ranges. False means "not this form", not
// "invalid": the caller then asks the pattern.
function isCanonicalIsoDate(s: string): boolean {
  if (
    s.charCodeAt(4) !== DASH ||
    s.charCodeAt(7) !== DASH ||
    s.charCodeAt(10) !== T ||
    s.charCodeAt(13) !== COLON ||
    s.charCodeAt(16) !== COLON ||
    s.charCodeAt(19) !== DOT ||
    s.charCodeAt(23) !== Z
  ) {
    return false;
  }
  for (const i of DIGIT_POSITIONS) {
    const c = s.charCodeAt(i);
    if (c < ZERO || c > NINE) return false;
  }
  const month = twoDigits(s, 5);
  const day = twoDigits(s, 8);
  return (
    month >= 1 &&
    month <= 12 &&
    day >= 1 &&
    day <= 31 &&
    twoDigits(s, 11) <= 23 &&
    twoDigits(s, 14) <= 59 &&
    twoDigits(s, 17) <= 59
  );
}

const [DASH, T, COLON, DOT, Z, ZERO, NINE] = [45, 84, 58, 46, 90, 48, 57] as const;
const DIGIT_POSITIONS = [0, 1, 2, 3, 5, 6, 8, 9, 11, 12, 14, 15, 17, 18, 20, 21, 22] as const;

function twoDigits(s: string, at: number): number {
  return (s.charCodeAt(at) - ZERO) * 10 + s.charCodeAt(at + 1) - ZERO;
}

function isStringMap(value: unknown): value is Record<string, string> {
  if (typeof value !== "object" || value === null || Array.isArray(value)) return false;
  return Object.values(value).every((item) => typeof item === "string");
}
