import { defineJob, isJobError, UnsupportedEventError } from "@glasswork/core";
import { describe, expect, it } from "vitest";
import { lambdaContext, setupWorker } from "./test-harness.js";

// Issue 12 item 14: a worker function wired by mistake to an S3 bucket notification, an SNS
// topic or a DynamoDB stream. These events have `Records` too; they used to crash the handler
// with "Cannot read properties of undefined (reading 'slice')".

const s3Event = {
  Records: [
    {
      eventVersion: "2.1",
      eventSource: "aws:s3",
      awsRegion: "us-east-1",
      eventTime: "2026-01-01T00:00:00.000Z",
      eventName: "ObjectCreated:Put",
      s3: {
        s3SchemaVersion: "1.0",
        bucket: { name: "uploads", arn: "arn:aws:s3:::uploads" },
        object: { key: "avatar.png", size: 1024 },
      },
    },
  ],
};
const snsEvent = {
  Records: [
    {
      EventVersion: "1.0",
      EventSource: "aws:sns",
      EventSubscriptionArn: "arn:aws:sns:us-east-1:123456789012:jobs:2bcfbf39",
      Sns: { Type: "Notification", MessageId: "95df01b4", Message: "hello", Subject: null },
    },
  ],
};
const dynamodbEvent = {
  Records: [
    {
      eventID: "1",
      eventName: "INSERT",
      eventVersion: "1.0",
      eventSource: "aws:dynamodb",
      awsRegion: "us-east-1",
      dynamodb: { Keys: { Id: { N: "101" } }, SequenceNumber: "111", StreamViewType: "KEYS_ONLY" },
      eventSourceARN: "arn:aws:dynamodb:us-east-1:123456789012:table/Outbox/stream/2026-01-01",
    },
  ],
};

describe("bootstrapWorker given an event that is not from SQS", () => {
  it.each([
    ["an S3 bucket notification", s3Event, "aws:s3"],
    ["an SNS topic subscription", snsEvent, "aws:sns"],
    ["a DynamoDB stream", dynamodbEvent, "aws:dynamodb"],
  ])("rejects %s with an UnsupportedEventError that names the source", async (_, event, source) => {
    let runs = 0;
    const job = defineJob({ name: "any", handler: () => void runs++ });
    const w = setupWorker({ jobs: [job] });
    const error = await w.handler(event as never, lambdaContext()).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(UnsupportedEventError);
    expect(isJobError(error, "UNSUPPORTED_EVENT")).toBe(true);
    expect((error as UnsupportedEventError).eventSource).toBe(source);
    expect((error as Error).message).toBe(
      `The worker received an event from ${source}, not from SQS: point only SQS event source mappings and periodic schedules at it`,
    );
    expect(runs).toBe(0);
    expect(w.calls).toEqual([]);
  });
});
