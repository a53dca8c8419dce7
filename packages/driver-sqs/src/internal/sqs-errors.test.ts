import { QueueDoesNotExist, SQSServiceException } from "@aws-sdk/client-sqs";
import { isJobError, QueueDriverError } from "@glasswork/core";
import { describe, expect, it } from "vitest";
import { entryFailureToError, isAbortError, toQueueDriverError } from "./sqs-errors.js";

const context = { queue: "jobs", operation: "send", action: "sqs:SendMessage" };

function serviceError(
  name: string,
  message: string,
  extra: { status?: number; fault?: "client" | "server"; throttling?: boolean } = {},
) {
  const error = new SQSServiceException({
    name,
    message,
    $fault: extra.fault ?? "client",
    $metadata: { httpStatusCode: extra.status ?? 400 },
  });
  if (extra.throttling !== undefined) error.$retryable = { throttling: extra.throttling };
  return error;
}

function networkError(code: string) {
  return Object.assign(new Error(`connect ${code} 127.0.0.1:1`), { code });
}

describe("toQueueDriverError", () => {
  it("names the queue and the operation, and keeps the cause", () => {
    const cause = serviceError("InvalidParameterValue", "Value -1 is invalid");
    const error = toQueueDriverError(cause, context);
    expect(isJobError(error, "QUEUE_DRIVER")).toBe(true);
    expect(error).toMatchObject({ queue: "jobs", operation: "send", retryable: false, cause });
    expect(error.message).toBe(
      'send on queue "jobs" failed: InvalidParameterValue: Value -1 is invalid',
    );
  });

  it("explains a missing queue, under either of its names", () => {
    const missing = new QueueDoesNotExist({
      message: "The specified queue does not exist.",
      $metadata: {},
    });
    const legacy = Object.assign(serviceError("SQSServiceException", "gone"), {
      Code: "AWS.SimpleQueueService.NonExistentQueue",
    });
    for (const cause of [missing, legacy]) {
      const error = toQueueDriverError(cause, context);
      expect(error.message).toContain(
        'queue "jobs" does not exist — create it or check the queues option',
      );
      expect(error.retryable).toBe(false);
    }
  });

  it("explains rejected or missing credentials", () => {
    for (const cause of [
      serviceError(
        "InvalidClientTokenId",
        "The security token included in the request is invalid.",
      ),
      serviceError("UnrecognizedClientException", "The security token is invalid."),
      serviceError("SignatureDoesNotMatch", "The request signature does not match."),
      Object.assign(new Error("Could not load credentials from any providers"), {
        name: "CredentialsProviderError",
      }),
    ]) {
      const error = toQueueDriverError(cause, context);
      expect(error.message).toMatch(
        /AWS did not accept the credentials .* check the credentials and region/,
      );
      expect(error.retryable).toBe(false);
    }
  });

  it("names the IAM action when access is denied", () => {
    const error = toQueueDriverError(
      serviceError("AccessDenied", "Access to the resource is denied.", { status: 403 }),
      { ...context, action: "sqs:GetQueueUrl" },
    );
    expect(error.message).toMatch(
      /access denied .* the caller needs sqs:GetQueueUrl on this queue/,
    );
  });

  it("treats throttling, server faults and network failures as retryable", () => {
    const retryable = [
      serviceError("RequestThrottled", "Rate exceeded"),
      serviceError("ThrottlingException", "Rate exceeded"),
      serviceError("SomethingNew", "slow down", { throttling: true }),
      serviceError("InternalError", "We encountered an internal error.", {
        status: 500,
        fault: "server",
      }),
      serviceError("ServiceUnavailable", "Service unavailable", { status: 503 }),
      networkError("ECONNREFUSED"),
      networkError("ECONNRESET"),
      networkError("ENOTFOUND"),
      Object.assign(new Error("socket hang up"), { name: "TimeoutError" }),
    ];
    for (const cause of retryable) {
      expect([cause.name, toQueueDriverError(cause, context).retryable]).toEqual([
        cause.name,
        true,
      ]);
    }
    expect(toQueueDriverError(networkError("ECONNREFUSED"), context).message).toMatch(
      /cannot reach the SQS endpoint \(connect ECONNREFUSED 127\.0\.0\.1:1\) — check the endpoint/,
    );
  });

  it("explains an oversized message or batch", () => {
    for (const cause of [
      serviceError(
        "AWS.SimpleQueueService.InvalidParameterValue",
        "One or more parameters are invalid. Reason: Message must be shorter than 262144 bytes.",
      ),
      serviceError("BatchRequestTooLong", "Batch requests cannot be longer than 262144 bytes."),
    ]) {
      const error = toQueueDriverError(cause, context);
      expect(error.message).toMatch(/larger than the queue accepts .* MaximumMessageSize/);
      expect(error.retryable).toBe(false);
    }
  });

  it("explains a missing region", () => {
    expect(toQueueDriverError(new Error("Region is missing"), context).message).toMatch(
      /no AWS region .* pass region to the driver or set AWS_REGION/,
    );
  });

  it("passes a QueueDriverError through", () => {
    const original = new QueueDriverError("dlq", "moveToDeadLetter", "boom", { retryable: true });
    expect(toQueueDriverError(original, context)).toBe(original);
  });

  it("describes things that are not errors", () => {
    expect(toQueueDriverError("weird", context).message).toBe('send on queue "jobs" failed: weird');
  });
});

describe("entryFailureToError", () => {
  it("is retryable when SQS says the sender is not at fault", () => {
    const error = entryFailureToError(
      { Id: "3", Code: "InternalError", Message: "try again", SenderFault: false },
      context,
    );
    expect(error).toMatchObject({ retryable: true, queue: "jobs", operation: "send" });
    expect(error.message).toBe('send on queue "jobs" failed: InternalError: try again');
  });

  it("is not retryable when the sender is at fault", () => {
    const error = entryFailureToError(
      { Id: "3", Code: "InvalidMessageContents", Message: "Invalid characters", SenderFault: true },
      context,
    );
    expect(error.retryable).toBe(false);
  });

  it("is retryable for a throttled entry whatever the fault flag", () => {
    expect(
      entryFailureToError({ Code: "RequestThrottled", Message: "slow", SenderFault: true }, context)
        .retryable,
    ).toBe(true);
  });
});

describe("isAbortError", () => {
  it("recognises the SDK's abort error", () => {
    expect(isAbortError(Object.assign(new Error("Request aborted"), { name: "AbortError" }))).toBe(
      true,
    );
    expect(isAbortError(new Error("nope"))).toBe(false);
  });
});
