import type { StandardSchemaV1 } from "@standard-schema/spec";
import type { AnyJobDefinition } from "./define-job.js";
import { InvalidJobPayloadError, type PayloadIssue } from "./errors.js";

/** The result of {@link validatePayload}. */
export type ValidatePayloadResult<T> =
  | { readonly ok: true; readonly value: T }
  | { readonly ok: false; readonly error: InvalidJobPayloadError };

/**
 * Checks an untrusted payload against the job's schema and returns the schema's output.
 * A job without a schema accepts the payload as it is.
 */
export function validatePayload<T>(
  job: AnyJobDefinition,
  payload: unknown,
): ValidatePayloadResult<T> | Promise<ValidatePayloadResult<T>> {
  const schema = job.schema as StandardSchemaV1<unknown, T> | undefined;
  if (!schema) return { ok: true, value: payload as T };
  let result: StandardSchemaV1.Result<T> | Promise<StandardSchemaV1.Result<T>>;
  try {
    result = schema["~standard"].validate(payload);
  } catch (cause) {
    return schemaThrew(job.name, cause);
  }
  // Synchronous schemas (valibot's are) stay synchronous: no promise on the hot path.
  return result instanceof Promise
    ? result.then(
        (r) => toResult(job.name, r),
        (cause: unknown) => schemaThrew(job.name, cause),
      )
    : toResult(job.name, result);
}

function schemaThrew(
  jobName: string,
  cause: unknown,
): { ok: false; error: InvalidJobPayloadError } {
  return invalid(jobName, [{ message: `the schema threw: ${String(cause)}` }]);
}

function toResult<T>(
  jobName: string,
  result: StandardSchemaV1.Result<T>,
): ValidatePayloadResult<T> {
  if (!result.issues) return { ok: true, value: result.value };
  return invalid(jobName, result.issues.map(toIssue));
}

function invalid(
  jobName: string,
  issues: PayloadIssue[],
): { ok: false; error: InvalidJobPayloadError } {
  return { ok: false, error: new InvalidJobPayloadError(jobName, issues) };
}

function toIssue(issue: StandardSchemaV1.Issue): PayloadIssue {
  if (!issue.path) return { message: issue.message };
  return {
    message: issue.message,
    path: issue.path.map((segment) => (typeof segment === "object" ? segment.key : segment)),
  };
}
