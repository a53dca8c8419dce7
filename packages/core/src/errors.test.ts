import { describe, expect, it } from "vitest";
import {
  DeadlineError,
  DuplicateJobNameError,
  EnqueueBatchError,
  type EnqueueItemResult,
  FifoGroupHeldBackError,
  InvalidEnvelopeError,
  InvalidJobPayloadError,
  isJobError,
  JobError,
  NoDeadLetterQueueError,
  PayloadTooLargeError,
  PermanentJobError,
  QueueDriverError,
  RetryExhaustedError,
  TransientJobError,
  UnknownJobError,
  UnsupportedEventError,
  ValidatorError,
} from "./errors.js";

describe("JobError", () => {
  it("carries code, name, message and a native cause", () => {
    const cause = new Error("root");
    const error = new JobError("QUEUE_DRIVER", "boom", { cause });
    expect(error).toBeInstanceOf(Error);
    expect(error.code).toBe("QUEUE_DRIVER");
    expect(error.name).toBe("JobError");
    expect(error.message).toBe("boom");
    expect(error.cause).toBe(cause);
    expect(Object.hasOwn(error, "cause")).toBe(true);
    expect(error.stack).toContain("boom");
  });

  it("has no own cause property when none is given", () => {
    expect(Object.hasOwn(new JobError("PERMANENT", "x"), "cause")).toBe(false);
    expect(Object.hasOwn(new JobError("PERMANENT", "x", {}), "cause")).toBe(false);
    expect(Object.hasOwn(new TransientJobError("x"), "cause")).toBe(false);
    expect(Object.hasOwn(new QueueDriverError("q", "send", "x"), "cause")).toBe(false);
  });

  it("keeps a falsy but defined cause", () => {
    expect(new JobError("PERMANENT", "x", { cause: 0 }).cause).toBe(0);
    expect(new JobError("PERMANENT", "x", { cause: null }).cause).toBeNull();
  });
});

describe("isJobError", () => {
  it("recognises every subclass, with and without a code", () => {
    const errors: [JobError, string][] = [
      [new TransientJobError("t"), "TRANSIENT"],
      [new PermanentJobError("p"), "PERMANENT"],
      [new InvalidJobPayloadError("j", []), "INVALID_PAYLOAD"],
      [new PayloadTooLargeError("j", 2, 1), "PAYLOAD_TOO_LARGE"],
      [new RetryExhaustedError("j", 3, new Error("last")), "RETRY_EXHAUSTED"],
      [new EnqueueBatchError([]), "ENQUEUE_BATCH_FAILED"],
      [new UnknownJobError("j"), "UNKNOWN_JOB"],
      [new InvalidEnvelopeError("not-json", "m"), "INVALID_ENVELOPE"],
      [new QueueDriverError("q", "send", "m"), "QUEUE_DRIVER"],
      [new NoDeadLetterQueueError("q"), "NO_DEAD_LETTER_QUEUE"],
      [new ValidatorError("j", new Error("ECONNRESET")), "VALIDATOR_FAILED"],
      [new DeadlineError(), "DEADLINE"],
      [new FifoGroupHeldBackError("g"), "FIFO_GROUP_HELD_BACK"],
      [new UnsupportedEventError("aws:s3"), "UNSUPPORTED_EVENT"],
      [new DuplicateJobNameError("j"), "DUPLICATE_JOB_NAME"],
    ];
    for (const [error, code] of errors) {
      expect(error).toBeInstanceOf(JobError);
      expect(error.code).toBe(code);
      expect(isJobError(error)).toBe(true);
      expect(isJobError(error, error.code)).toBe(true);
    }
  });

  it("is false for a different code", () => {
    expect(isJobError(new PermanentJobError("p"), "TRANSIENT")).toBe(false);
    expect(isJobError(new TransientJobError("t"), "PERMANENT")).toBe(false);
  });

  it("is false for plain errors, error-like objects and non-objects", () => {
    expect(isJobError(new Error("x"))).toBe(false);
    expect(isJobError({ code: "PERMANENT", name: "PermanentJobError", message: "x" })).toBe(false);
    expect(isJobError(null)).toBe(false);
    expect(isJobError(undefined)).toBe(false);
    expect(isJobError("PERMANENT")).toBe(false);
    expect(isJobError(42)).toBe(false);
    // A truthy brand that is not exactly `true` does not count.
    expect(isJobError({ [Symbol.for("@glasswork/core/JobError")]: "yes", code: "PERMANENT" })).toBe(
      false,
    );
  });

  it("recognises an error from a duplicate copy of the package by its registered symbol", () => {
    // Another copy of @glasswork/core has its own classes: `instanceof` fails, the brand does not.
    const brand: unique symbol = Symbol.for("@glasswork/core/JobError") as never;
    class OtherCopyError extends Error {
      readonly code = "PERMANENT";
      readonly [brand] = true;
    }
    const foreign = new OtherCopyError("from the other copy");
    expect(foreign).not.toBeInstanceOf(JobError);
    expect(isJobError(foreign)).toBe(true);
    expect(isJobError(foreign, "PERMANENT")).toBe(true);
    expect(isJobError(foreign, "TRANSIENT")).toBe(false);

    const plainObject = { [Symbol.for("@glasswork/core/JobError")]: true, code: "TRANSIENT" };
    expect(isJobError(plainObject, "TRANSIENT")).toBe(true);
  });

  it("does not recognise a local (unregistered) symbol of the same description", () => {
    const lookalike = { [Symbol("@glasswork/core/JobError")]: true, code: "PERMANENT" };
    expect(isJobError(lookalike)).toBe(false);
  });
});

describe("TransientJobError", () => {
  it("has code, name, message, cause and retryAfter", () => {
    const cause = new Error("503");
    const error = new TransientJobError("try later", { retryAfter: 30, cause });
    expect(error.code).toBe("TRANSIENT");
    expect(error.name).toBe("TransientJobError");
    expect(error.message).toBe("try later");
    expect(error.cause).toBe(cause);
    expect(error.retryAfter).toBe(30);
  });

  it("has no retryAfter by default", () => {
    expect(new TransientJobError("x").retryAfter).toBeUndefined();
  });

  it("accepts retryAfter 0 and fractions", () => {
    expect(new TransientJobError("x", { retryAfter: 0 }).retryAfter).toBe(0);
    expect(new TransientJobError("x", { retryAfter: 1.5 }).retryAfter).toBe(1.5);
  });

  it.each([-1, Number.NaN, Number.POSITIVE_INFINITY, Number.NEGATIVE_INFINITY])(
    "rejects retryAfter %s with a RangeError",
    (retryAfter) => {
      expect(() => new TransientJobError("x", { retryAfter })).toThrow(RangeError);
      expect(() => new TransientJobError("x", { retryAfter })).toThrow(/retryAfter/);
    },
  );
});

describe("PermanentJobError", () => {
  it("has code, name, message and cause", () => {
    const cause = new Error("404");
    const error = new PermanentJobError("user gone", { cause });
    expect(error.code).toBe("PERMANENT");
    expect(error.name).toBe("PermanentJobError");
    expect(error.message).toBe("user gone");
    expect(error.cause).toBe(cause);
  });
});

describe("InvalidJobPayloadError", () => {
  it("lists every issue with its path in the message", () => {
    const issues = [
      { message: "Invalid type", path: ["user", "id"] },
      { message: "Too short", path: ["tags", 2] },
      { message: "Root problem" },
      { message: "Empty path", path: [] },
    ];
    const error = new InvalidJobPayloadError("send-email", issues);
    expect(error.code).toBe("INVALID_PAYLOAD");
    expect(error.name).toBe("InvalidJobPayloadError");
    expect(error.jobName).toBe("send-email");
    expect(error.issues).toBe(issues);
    expect(error.message).toBe(
      'Invalid payload for job "send-email": user.id: Invalid type; tags.2: Too short; Root problem; Empty path',
    );
  });

  it("formats symbol path segments without throwing", () => {
    const error = new InvalidJobPayloadError("j", [{ message: "bad", path: [Symbol("s")] }]);
    expect(error.message).toContain("Symbol(s): bad");
  });
});

describe("PayloadTooLargeError", () => {
  it("names the job, the size and the limit, and says to pass IDs", () => {
    const error = new PayloadTooLargeError("render-report", 300_000, 262_144);
    expect(error.code).toBe("PAYLOAD_TOO_LARGE");
    expect(error.name).toBe("PayloadTooLargeError");
    expect(error.jobName).toBe("render-report");
    expect(error.size).toBe(300_000);
    expect(error.limit).toBe(262_144);
    expect(error.message).toContain('"render-report"');
    expect(error.message).toContain("300000 bytes");
    expect(error.message).toContain("262144 bytes");
    expect(error.message).toContain("IDs");
  });
});

describe("RetryExhaustedError", () => {
  it("carries job name, attempts and the last failure as cause", () => {
    const last = new Error("timeout");
    const error = new RetryExhaustedError("sync", 5, last);
    expect(error.code).toBe("RETRY_EXHAUSTED");
    expect(error.name).toBe("RetryExhaustedError");
    expect(error.jobName).toBe("sync");
    expect(error.attempts).toBe(5);
    expect(error.cause).toBe(last);
    expect(error.message).toBe('Job "sync" failed 5 times and has no attempts left');
  });

  it("uses the singular for one attempt", () => {
    expect(new RetryExhaustedError("sync", 1, "x").message).toBe(
      'Job "sync" failed 1 time and has no attempts left',
    );
  });

  it("says how many receives were releases, when the worker saw them", () => {
    const error = new RetryExhaustedError("ship", 1, "x", { receives: 5, knownFailures: 1 });
    expect(error.message).toBe(
      'Job "ship" failed 1 time and has no attempts left (received 5 times: 4 of them were releases without running)',
    );
    expect(error).toMatchObject({ attempts: 1, receives: 5, knownFailures: 1 });
  });

  it("gives bounds, not a count, when another worker instance may have released it", () => {
    const error = new RetryExhaustedError("ship", 5, "x", { receives: 5, knownFailures: 1 });
    expect(error.message).toBe(
      'Job "ship" failed at least 1 time and at most 5 times and has no attempts left: SQS counts every receive, and this worker instance cannot tell another instance\'s releases from attempts',
    );
  });
});

describe("UnknownJobError", () => {
  it("names the job", () => {
    const error = new UnknownJobError("gone-job");
    expect(error.code).toBe("UNKNOWN_JOB");
    expect(error.name).toBe("UnknownJobError");
    expect(error.jobName).toBe("gone-job");
    expect(error.message).toBe('No job named "gone-job" is registered with this worker');
  });
});

describe("InvalidEnvelopeError", () => {
  it("carries the reason in the field and the message, and a cause", () => {
    const cause = new SyntaxError("Unexpected token");
    const error = new InvalidEnvelopeError("not-json", "the body is not valid JSON", { cause });
    expect(error.code).toBe("INVALID_ENVELOPE");
    expect(error.name).toBe("InvalidEnvelopeError");
    expect(error.reason).toBe("not-json");
    expect(error.message).toBe("Invalid message envelope (not-json): the body is not valid JSON");
    expect(error.cause).toBe(cause);
  });
});

describe("QueueDriverError", () => {
  it("names the queue and the operation, keeps the cause, and is not retryable by default", () => {
    const cause = new Error("AccessDenied");
    const error = new QueueDriverError("reports", "SendMessageBatch", "access denied", { cause });
    expect(error.code).toBe("QUEUE_DRIVER");
    expect(error.name).toBe("QueueDriverError");
    expect(error.queue).toBe("reports");
    expect(error.operation).toBe("SendMessageBatch");
    expect(error.retryable).toBe(false);
    expect(error.cause).toBe(cause);
    expect(error.message).toBe('SendMessageBatch on queue "reports" failed: access denied');
  });

  it("can be retryable", () => {
    expect(new QueueDriverError("q", "send", "throttled", { retryable: true }).retryable).toBe(
      true,
    );
  });
});

describe("NoDeadLetterQueueError", () => {
  it("names the queue and says how to configure one", () => {
    const error = new NoDeadLetterQueueError("default");
    expect(error.code).toBe("NO_DEAD_LETTER_QUEUE");
    expect(error.name).toBe("NoDeadLetterQueueError");
    expect(error.queue).toBe("default");
    expect(error.message).toContain('Queue "default" has no dead-letter queue');
    expect(error.message).toContain("RedrivePolicy");
  });
});

describe("EnqueueBatchError", () => {
  const results: EnqueueItemResult<string>[] = [
    { ok: true, index: 0, value: "a" },
    { ok: false, index: 1, error: new Error("invalid payload") },
    { ok: true, index: 2, value: "c" },
    { ok: false, index: 3, error: new Error("throttled") },
  ];

  it("summarises the failures and names the first one", () => {
    const error = new EnqueueBatchError(results);
    expect(error.code).toBe("ENQUEUE_BATCH_FAILED");
    expect(error.name).toBe("EnqueueBatchError");
    expect(error.results).toBe(results);
    expect(error.message).toBe(
      "2 of 4 jobs could not be enqueued. First failure (item 1): invalid payload",
    );
  });

  it("splits results into succeeded and failed, in input order", () => {
    const error = new EnqueueBatchError(results);
    expect(error.succeeded).toEqual([
      { ok: true, index: 0, value: "a" },
      { ok: true, index: 2, value: "c" },
    ]);
    expect(error.failed.map((r) => [r.index, r.error.message])).toEqual([
      [1, "invalid payload"],
      [3, "throttled"],
    ]);
  });

  it("has no first-failure text when nothing failed", () => {
    const error = new EnqueueBatchError([{ ok: true, index: 0, value: 1 }]);
    expect(error.message).toBe("0 of 1 jobs could not be enqueued.");
    expect(error.failed).toEqual([]);
    expect(error.succeeded).toHaveLength(1);
  });
});
