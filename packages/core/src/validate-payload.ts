import type { StandardSchemaV1 } from "@standard-schema/spec";
import type { AnyJobDefinition } from "./define-job.js";
import { InvalidJobPayloadError, type PayloadIssue, ValidatorError } from "./errors.js";
import { redactIssueMessage } from "./redact-issue-message.js";

/**
 * The result of {@link validatePayload}: the schema's output, the payload's issues
 * (`InvalidJobPayloadError`), or a schema that threw or rejected (`ValidatorError`, transient).
 */
export type ValidatePayloadResult<T> =
  | { readonly ok: true; readonly value: T }
  | { readonly ok: false; readonly error: InvalidJobPayloadError | ValidatorError };

/**
 * Checks an untrusted payload against the job's schema and returns the schema's output.
 * A job without a schema accepts the payload as it is. Issue messages lose the received value
 * they quote (they reach logs and dead-letter attributes); paths and expectations stay.
 */
export function validatePayload<T>(
  job: AnyJobDefinition,
  payload: unknown,
): ValidatePayloadResult<T> | Promise<ValidatePayloadResult<T>> {
  const schema = job.schema as StandardSchemaV1<unknown, T> | undefined;
  if (!schema) return { ok: true, value: payload as T };
  let result: unknown;
  try {
    result = schema["~standard"].validate(payload);
  } catch (cause) {
    return { ok: false, error: new ValidatorError(job.name, cause) };
  }
  // Any thenable is asynchronous: a Promise from another realm (node:vm, jsdom) is not
  // `instanceof Promise`, and read as a result it would have no issues, i.e. pass.
  // Synchronous schemas (valibot's) stay synchronous: no promise on the hot path.
  if (isThenable(result)) {
    return Promise.resolve(result).then(
      (r) => toResult<T>(job.name, r),
      (cause: unknown) => ({ ok: false, error: new ValidatorError(job.name, cause) }),
    );
  }
  return toResult(job.name, result);
}

function isThenable(value: unknown): value is PromiseLike<unknown> {
  return (
    (typeof value === "object" || typeof value === "function") &&
    value !== null &&
    typeof (value as { then?: unknown }).then === "function"
  );
}

// Only a well-formed success passes. Anything else a schema returns (nothing, a bare value, a
// non-array `issues`) is a failure: validation must fail closed.
function toResult<T>(jobName: string, result: unknown): ValidatePayloadResult<T> {
  if (typeof result !== "object" || result === null) return malformed(jobName);
  const { issues } = result as { issues?: unknown };
  if (issues === undefined || issues === null) {
    if (!("value" in result)) return malformed(jobName);
    return { ok: true, value: (result as { value: T }).value };
  }
  if (!Array.isArray(issues)) return malformed(jobName);
  const mapped = issues.map(toIssue);
  return invalid(
    jobName,
    mapped.length > 0 ? mapped : [{ message: "the schema failed without naming an issue" }],
  );
}

function malformed(jobName: string): { ok: false; error: InvalidJobPayloadError } {
  return invalid(jobName, [
    { message: "the schema returned neither a value nor a list of issues" },
  ]);
}

function invalid(
  jobName: string,
  issues: PayloadIssue[],
): { ok: false; error: InvalidJobPayloadError } {
  return { ok: false, error: new InvalidJobPayloadError(jobName, issues) };
}

function toIssue(issue: unknown): PayloadIssue {
  const { message, path } = (issue ?? {}) as Partial<StandardSchemaV1.Issue>;
  const text = redactIssueMessage(typeof message === "string" ? message : "invalid");
  if (!Array.isArray(path)) return { message: text };
  return {
    message: text,
    path: path.map((segment: PropertyKey | StandardSchemaV1.PathSegment) =>
      typeof segment === "object" && segment !== null ? segment.key : segment,
    ),
  };
}
