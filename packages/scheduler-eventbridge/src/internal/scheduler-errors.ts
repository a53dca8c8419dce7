import { SchedulerError } from "../errors.js";

const RETRYABLE_NAMES = [
  "ThrottlingException",
  "TooManyRequestsException",
  "InternalServerException",
  "ServiceUnavailable",
  "TimeoutError",
  "RequestTimeout",
];
const NETWORK_CODES = new Set([
  "ECONNREFUSED",
  "ECONNRESET",
  "ETIMEDOUT",
  "EPIPE",
  "ENOTFOUND",
  "EAI_AGAIN",
]);

interface SdkErrorShape {
  readonly name?: unknown;
  readonly code?: unknown;
  readonly message?: unknown;
  readonly $retryable?: unknown;
  readonly $metadata?: { readonly httpStatusCode?: number };
}

/** The error's name (SDK error names are matched with `endsWith`, as the SDK may prefix them). */
export function errorName(error: unknown): string {
  const name = (error as SdkErrorShape | undefined)?.name;
  return typeof name === "string" ? name : "";
}

/** True for errors that may go away when the request is sent again. */
export function isRetryable(error: unknown): boolean {
  const shape = error as SdkErrorShape | undefined;
  const name = errorName(error);
  const status = shape?.$metadata?.httpStatusCode ?? 0;
  return (
    RETRYABLE_NAMES.some((candidate) => name.endsWith(candidate)) ||
    (typeof shape?.code === "string" && NETWORK_CODES.has(shape.code)) ||
    status === 429 ||
    status >= 500 ||
    shape?.$retryable !== undefined
  );
}

/** True when the scheduler says the schedule (or its group) does not exist. */
export function isNotFound(error: unknown): boolean {
  return errorName(error).endsWith("ResourceNotFoundException");
}

/** Wraps an SDK error in a {@link SchedulerError} that says what to do. */
export function toSchedulerError(
  error: unknown,
  operation: string,
  scheduleName: string,
  groupName: string,
): SchedulerError {
  if (error instanceof SchedulerError) return error;
  const name = errorName(error);
  const text = String((error as SdkErrorShape | undefined)?.message ?? error);
  const hint = name.endsWith("AccessDeniedException")
    ? " (the caller needs scheduler:CreateSchedule/GetSchedule/DeleteSchedule on the group's schedules and iam:PassRole on the scheduler role)"
    : name.endsWith("ResourceNotFoundException") && operation === "CreateSchedule"
      ? ` (does the schedule group "${groupName}" exist?)`
      : "";
  return new SchedulerError(operation, scheduleName, `${name || "Error"}: ${text}${hint}`, {
    cause: error,
    retryable: isRetryable(error),
  });
}
