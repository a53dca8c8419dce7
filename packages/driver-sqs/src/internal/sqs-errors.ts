import { isJobError, QueueDriverError } from "@glasswork/core";

/** Where a failure happened, for its error message. */
export interface FailureContext {
  /** The queue as the caller named it. */
  readonly queue: string;
  /** The driver operation (`"send"`, `"receive"`, …). */
  readonly operation: string;
  /** The IAM action the failed request needs, named when access is denied. */
  readonly action: string;
}

/** A failed entry of a batch response (`SendMessageBatch`, `DeleteMessageBatch`). */
export interface BatchEntryFailure {
  readonly Id?: string | undefined;
  readonly Code?: string | undefined;
  readonly Message?: string | undefined;
  readonly SenderFault?: boolean | undefined;
}

type FailureKind =
  | "missing-queue"
  | "credentials"
  | "access-denied"
  | "too-large"
  | "throttled"
  | "unreachable"
  | "server"
  | "no-region"
  | "other";

// SQS's JSON protocol names errors both ways ("QueueDoesNotExist" and, in the query-compatible
// Code, "AWS.SimpleQueueService.NonExistentQueue"), so names are matched by suffix.
const MISSING_QUEUE = ["QueueDoesNotExist", "NonExistentQueue"];
const CREDENTIALS = [
  "InvalidClientTokenId",
  "UnrecognizedClientException",
  "SignatureDoesNotMatch",
  "IncompleteSignature",
  "MissingAuthenticationToken",
  "InvalidSecurity",
  "ExpiredToken",
  "ExpiredTokenException",
  "CredentialsProviderError",
  "TokenProviderError",
];
const ACCESS_DENIED = ["AccessDenied", "AccessDeniedException"];
const THROTTLING = [
  "Throttling",
  "ThrottlingException",
  "RequestThrottled",
  "KmsThrottled",
  "TooManyRequestsException",
  "RequestLimitExceeded",
  "OverLimit",
];
const NETWORK_CODES = new Set([
  "ECONNREFUSED",
  "ECONNRESET",
  "ECONNABORTED",
  "ETIMEDOUT",
  "EHOSTUNREACH",
  "ENETUNREACH",
  "ENOTFOUND",
  "EAI_AGAIN",
  "EPIPE",
]);
const NETWORK_NAMES = ["TimeoutError", "RequestTimeout", "RequestTimeoutException"];
const TOO_LARGE_MESSAGE = /shorter than|too long|maximum message size/i;

/**
 * Wraps an error from the SDK (or the network under it) in a `QueueDriverError` whose message
 * names the queue and the operation and says what to do, and whose `retryable` says whether
 * sending again later may succeed (throttling, server faults, network failures). A
 * `QueueDriverError` is returned as it is.
 */
export function toQueueDriverError(error: unknown, context: FailureContext): QueueDriverError {
  if (isJobError(error, "QUEUE_DRIVER")) return error as QueueDriverError;
  const names = errorNames(error);
  const message = errorMessage(error);
  const kind = classify(names, message, error);
  const retryable = isRetryableKind(kind) || (kind === "other" && sdkSaysRetryable(error));
  return new QueueDriverError(
    context.queue,
    context.operation,
    explain(kind, names, message, context),
    {
      cause: error,
      retryable,
    },
  );
}

/**
 * Turns one failed batch entry into a `QueueDriverError`. It is retryable when SQS says the
 * sender is not at fault (throttling, an internal error).
 */
export function entryFailureToError(
  entry: BatchEntryFailure,
  context: FailureContext,
): QueueDriverError {
  const names = entry.Code ? [entry.Code] : [];
  const message = entry.Message ?? "no reason given";
  const kind = classify(names, message, undefined);
  return new QueueDriverError(
    context.queue,
    context.operation,
    explain(kind, names, message, context),
    {
      cause: entry,
      retryable: entry.SenderFault === false || isRetryableKind(kind),
    },
  );
}

/** True when a request ended because its abort signal fired. */
export function isAbortError(error: unknown): boolean {
  return error instanceof Error && error.name === "AbortError";
}

function classify(names: readonly string[], message: string, error: unknown): FailureKind {
  const is = (candidates: readonly string[]) =>
    names.some((name) => candidates.some((candidate) => name.endsWith(candidate)));
  if (is(MISSING_QUEUE)) return "missing-queue";
  if (is(CREDENTIALS)) return "credentials";
  if (is(ACCESS_DENIED)) return "access-denied";
  if (is(["BatchRequestTooLong"])) return "too-large";
  if (is(["InvalidParameterValue"]) && TOO_LARGE_MESSAGE.test(message)) return "too-large";
  if (is(THROTTLING) || isThrottlingFlag(error)) return "throttled";
  if (names.some((name) => NETWORK_CODES.has(name)) || is(NETWORK_NAMES)) return "unreachable";
  if (isServerFault(error)) return "server";
  if (/region is missing/i.test(message)) return "no-region";
  return "other";
}

function isRetryableKind(kind: FailureKind): boolean {
  return kind === "throttled" || kind === "unreachable" || kind === "server";
}

function explain(
  kind: FailureKind,
  names: readonly string[],
  message: string,
  context: FailureContext,
): string {
  const name = names[0];
  const detail = !name || message.includes(name) ? message || "no message" : `${name}: ${message}`;
  switch (kind) {
    case "missing-queue":
      return `queue "${context.queue}" does not exist — create it or check the queues option (${detail})`;
    case "credentials":
      return `AWS did not accept the credentials (${detail}) — check the credentials and region given to the driver or its SQSClient`;
    case "access-denied":
      return `access denied (${detail}) — the caller needs ${context.action} on this queue`;
    case "too-large":
      return `the message is larger than the queue accepts (${detail}) — pass IDs instead of data, or raise the queue's MaximumMessageSize and the driver's maxMessageBytes (at most 1 MiB)`;
    case "throttled":
      return `SQS throttled the request (${detail}); try again later`;
    case "unreachable":
      return `cannot reach the SQS endpoint (${detail}) — check the endpoint and region options and the network`;
    case "server":
      return `SQS had an internal error (${detail}); try again later`;
    case "no-region":
      return `no AWS region (${detail}) — pass region to the driver or set AWS_REGION`;
    case "other":
      return detail;
  }
}

function errorNames(error: unknown): string[] {
  if (typeof error !== "object" || error === null) return [];
  const { name, Code, code } = error as { name?: unknown; Code?: unknown; code?: unknown };
  return [name, Code, code].filter(
    (value): value is string => typeof value === "string" && value !== "Error",
  );
}

function errorMessage(error: unknown): string {
  if (error instanceof Error) return error.message;
  return String(error);
}

function sdkSaysRetryable(error: unknown): boolean {
  return typeof error === "object" && error !== null && "$retryable" in error && !!error.$retryable;
}

function isThrottlingFlag(error: unknown): boolean {
  if (typeof error !== "object" || error === null) return false;
  const retryable = (error as { $retryable?: { throttling?: boolean } }).$retryable;
  return retryable?.throttling === true;
}

function isServerFault(error: unknown): boolean {
  if (typeof error !== "object" || error === null) return false;
  const { $fault, $metadata } = error as {
    $fault?: unknown;
    $metadata?: { httpStatusCode?: number };
  };
  return $fault === "server" || ($metadata?.httpStatusCode ?? 0) >= 500;
}
