import { createHash } from "node:crypto";
import { defineJob, definePeriodicJob, type ReceivedMessage } from "@glasswork/core";
import type { EventBridgeEvent, SQSEvent, SQSRecord } from "aws-lambda";
import { describe, expect, it } from "vitest";
import { queueNameFromArn, recordToMessage } from "./lambda-record.js";
import { md5OfMessageAttributes, messageToRecord } from "./message-to-record.js";
import type { PeriodicInvocation } from "./periodic-invocation.js";
import { lambdaContext, must, setupWorker } from "./test-harness.js";

// Events shaped field for field like the ones Lambda delivers. The digests are SQS's: MD5 of the
// body's UTF-8 bytes, and MD5 of the message attributes encoded as SQS specifies.

const standardBody =
  '{"v":1,"id":"inv-2026-0001","name":"send-invoice","payload":{"invoiceId":"inv_1"},"enqueuedAt":"2026-01-01T00:00:00.000Z"}';

const standardEvent: SQSEvent = {
  Records: [
    {
      messageId: "059f36b4-87a3-44ab-83d2-661975830a7d",
      receiptHandle:
        "AQEBwJnKyrHigUMZj6rYigCgxlaS3SLy0a/dcYq9GfmoR7dwc0Vt3vTJFM1P5kZ1Kl6Nb5Q5ICvS0GBy/c4Xk1KG6KJiy8ePtLDXsX1pP+KGwlVKyjaMYq+9MmMyxTIn0TjA7KzXQdOMqpHvK7fTyMeBZRRXqOAUfaX+RMBa2+ZNF9tp2CCfo2PKhfVhw==",
      body: standardBody,
      attributes: {
        ApproximateReceiveCount: "1",
        SentTimestamp: "1767225600000",
        SenderId: "AIDAIENQZJOLO23YVJ4VO",
        ApproximateFirstReceiveTimestamp: "1767225600012",
      },
      messageAttributes: {
        "glasswork.job": {
          stringValue: "send-invoice",
          stringListValues: [],
          binaryListValues: [],
          dataType: "String",
        },
      },
      md5OfBody: "e80072a7012cf2f0ed13b62d6132bb7a",
      md5OfMessageAttributes: "8a6c297cd7caa001897f499e752a0992",
      eventSource: "aws:sqs",
      eventSourceARN: "arn:aws:sqs:us-east-1:123456789012:default",
      awsRegion: "us-east-1",
    },
  ],
};

const fifoBody =
  '{"v":1,"id":"ship-42-1","name":"ship-order","payload":{"orderId":"42","step":1},"enqueuedAt":"2026-01-01T00:00:00.000Z"}';

const fifoEvent: SQSEvent = {
  Records: [
    {
      messageId: "11d6ee51-4cc7-4302-9e22-7cd8afdaadf5",
      receiptHandle:
        "AQEBBX8nesZEXmkhsmZeyIE8iQAMig7qw1hCJ5jSqnY+4XZdWfsgzEX/Fg0EyTXFiLGr5/mfMaOMw1uV/XU86cy1kN4Rv+wMN1ECv+aOwYHrlrrOxWVz7DAJRr4oGvWm8xahb+MIh8wvyMIoPk/Sa/Z9ZvjYsqKlZKbVdc6vHJKk/YAl6hJLnF8J6fb6Rq7iL8EbX/RzWn4I2jUPEa3q8RC3qbjCqQ7gsu9mwWEXgEPIcQ==",
      body: fifoBody,
      attributes: {
        ApproximateReceiveCount: "2",
        SentTimestamp: "1767225600000",
        SequenceNumber: "18849496460467696128",
        MessageGroupId: "order-42",
        SenderId: "AROAIWPX5BD2BHG722MW4:producer",
        MessageDeduplicationId: "ship-42-1",
        ApproximateFirstReceiveTimestamp: "1767225601500",
      },
      messageAttributes: {
        "glasswork.job": {
          stringValue: "ship-order",
          stringListValues: [],
          binaryListValues: [],
          dataType: "String",
        },
        Tenant: {
          stringValue: "acme",
          stringListValues: [],
          binaryListValues: [],
          dataType: "String",
        },
      },
      md5OfBody: "ee35f0e88f265d5fd5a77f9400ae61fb",
      md5OfMessageAttributes: "99a79ab37a9d8b5e7da68be913197269",
      eventSource: "aws:sqs",
      eventSourceARN: "arn:aws:sqs:us-east-1:123456789012:orders.fifo",
      awsRegion: "us-east-1",
    },
  ],
};

// A record captured from a real Lambda invocation (published in a cloud-migration guide): its
// digests were computed by SQS itself, so it checks our algorithm against AWS.
const capturedRecord: SQSRecord = {
  messageId: "23d47066-cd46-47a8-819d-f97bc9c2abce",
  receiptHandle:
    "AQEBXkIza0Az/uw6afwbmn5NGC6i7OIK7Z9BLUzkWBOApgB13YEFGU5MK4DClEgHy6eF6cxuhJKoElqHNoIgMdZTdLOWDRUW4tl1",
  body: "Sample content.",
  attributes: {
    ApproximateReceiveCount: "1",
    SentTimestamp: "1554088217716",
    SenderId: "AIDAINSMNFDHFPJLOE2T4",
    ApproximateFirstReceiveTimestamp: "1554088217721",
  },
  messageAttributes: {
    "sample-attribute": {
      stringValue: "sample-value",
      stringListValues: [],
      binaryListValues: [],
      dataType: "String",
    },
  },
  md5OfMessageAttributes: "7c815262be77a62f56671125069ca888",
  md5OfBody: "b58e1d0a86521415d25b85b89f6ad6cd",
  eventSource: "aws:sqs",
  eventSourceARN: "arn:aws:sqs:ap-south-1:220420460675:notification-queue",
  awsRegion: "ap-south-1",
};

// EventBridge Scheduler delivers the schedule's input as the event, as it is.
const schedulerInvocation: PeriodicInvocation = {
  jobName: "nightly-report",
  payload: { day: "2026-01-01" },
};

const ruleEvent: EventBridgeEvent<"Scheduled Event", { jobName: string }> = {
  version: "0",
  id: "89d1a02d-5ec7-412e-82f5-13505f849b41",
  "detail-type": "Scheduled Event",
  source: "aws.events",
  account: "123456789012",
  time: "2026-01-01T03:00:00Z",
  region: "us-east-1",
  resources: ["arn:aws:events:us-east-1:123456789012:rule/nightly-report"],
  detail: { jobName: "nightly-report" },
};

const md5 = (bytes: string | Buffer) => createHash("md5").update(bytes).digest("hex");

/** SQS's encoding of one piece of an attribute: a 4-byte big-endian length, then UTF-8 bytes. */
function lengthPrefixed(text: string): Buffer {
  const bytes = Buffer.from(text, "utf8");
  return Buffer.concat([Buffer.from([0, 0, 0, bytes.length]), bytes]);
}

const record = (event: SQSEvent) => must(event.Records[0]);
const sourceOf = (r: SQSRecord) => ({ eventSourceARN: r.eventSourceARN, awsRegion: r.awsRegion });

describe("SQS message digests", () => {
  it("encodes one attribute as SQS does, byte by byte", () => {
    // name "a", type "String", transport 1 (string), value "b", each length-prefixed.
    const bytes = Buffer.from(
      "00000001" + "61" + "00000006" + "537472696e67" + "01" + "00000001" + "62",
      "hex",
    );
    expect(md5OfMessageAttributes({ a: "b" })).toBe(md5(bytes));
  });

  it("sorts attributes by name in byte order before hashing", () => {
    // "Tenant" (0x54…) sorts before "glasswork.job" (0x67…).
    const bytes = Buffer.concat([
      lengthPrefixed("Tenant"),
      lengthPrefixed("String"),
      Buffer.from([1]),
      lengthPrefixed("acme"),
      lengthPrefixed("glasswork.job"),
      lengthPrefixed("String"),
      Buffer.from([1]),
      lengthPrefixed("ship-order"),
    ]);
    const expected = md5(bytes);
    expect(expected).toBe("99a79ab37a9d8b5e7da68be913197269");
    expect(md5OfMessageAttributes({ "glasswork.job": "ship-order", Tenant: "acme" })).toBe(
      expected,
    );
    expect(md5OfMessageAttributes({ Tenant: "acme", "glasswork.job": "ship-order" })).toBe(
      expected,
    );
  });

  it("matches digests computed by AWS", () => {
    expect(md5OfMessageAttributes({ "sample-attribute": "sample-value" })).toBe(
      capturedRecord.md5OfMessageAttributes,
    );
    expect(md5(capturedRecord.body)).toBe(capturedRecord.md5OfBody);
    // The example of the aws-md5-of-message-attributes package's README.
    expect(md5OfMessageAttributes({ attribName1: "attribValue 1" })).toBe(
      "19e27d4e946b072f3f58da80d94fd778",
    );
  });

  it("counts UTF-8 bytes, not UTF-16 units, in lengths", () => {
    const bytes = Buffer.concat([
      lengthPrefixed("città"),
      lengthPrefixed("String"),
      Buffer.from([1]),
      lengthPrefixed("😀"),
    ]);
    expect(md5OfMessageAttributes({ città: "😀" })).toBe(md5(bytes));
  });
});

describe("recordToMessage", () => {
  it("reads a standard-queue record", () => {
    expect(recordToMessage(record(standardEvent))).toEqual({
      queue: "default",
      messageId: "059f36b4-87a3-44ab-83d2-661975830a7d",
      receiptHandle: record(standardEvent).receiptHandle,
      body: standardBody,
      attributes: { "glasswork.job": "send-invoice" },
      receiveCount: 1,
      sentTimestamp: 1767225600000,
      firstReceiveTimestamp: 1767225600012,
      senderId: "AIDAIENQZJOLO23YVJ4VO",
    } satisfies ReceivedMessage);
  });

  it("reads a FIFO record's group, deduplication id and sequence number", () => {
    expect(recordToMessage(record(fifoEvent))).toEqual({
      queue: "orders.fifo",
      messageId: "11d6ee51-4cc7-4302-9e22-7cd8afdaadf5",
      receiptHandle: record(fifoEvent).receiptHandle,
      body: fifoBody,
      attributes: { "glasswork.job": "ship-order", Tenant: "acme" },
      receiveCount: 2,
      sentTimestamp: 1767225600000,
      firstReceiveTimestamp: 1767225601500,
      senderId: "AROAIWPX5BD2BHG722MW4:producer",
      groupId: "order-42",
      deduplicationId: "ship-42-1",
      sequenceNumber: "18849496460467696128",
    } satisfies ReceivedMessage);
  });

  it("keeps attributes that have a string value (String, Number) and drops binary ones", () => {
    const r: SQSRecord = {
      ...record(standardEvent),
      messageAttributes: {
        Attribute1: {
          stringValue: "AttributeValue1",
          stringListValues: [],
          binaryListValues: [],
          dataType: "String",
        },
        Attribute2: {
          stringValue: "123",
          stringListValues: [],
          binaryListValues: [],
          dataType: "Number",
        },
        Attribute3: {
          binaryValue: "MTEwMA==",
          stringListValues: [],
          binaryListValues: [],
          dataType: "Binary",
        },
      },
    };
    expect(recordToMessage(r).attributes).toEqual({
      Attribute1: "AttributeValue1",
      Attribute2: "123",
    });
  });

  it("names the queue from the ARN", () => {
    expect(queueNameFromArn("arn:aws:sqs:us-east-1:123456789012:orders.fifo")).toBe("orders.fifo");
    expect(queueNameFromArn(capturedRecord.eventSourceARN)).toBe("notification-queue");
  });
});

describe("messageToRecord", () => {
  it.each([
    ["standard", record(standardEvent)],
    ["FIFO", record(fifoEvent)],
    ["captured", capturedRecord],
  ])("rebuilds the %s record field for field", (_, fixture) => {
    expect(messageToRecord(recordToMessage(fixture), sourceOf(fixture))).toEqual(fixture);
  });

  it("builds a Lambda-shaped record for a message received from the mock driver", async () => {
    const sendInvoice = defineJob<{ invoiceId: string }>({
      name: "send-invoice",
      handler: () => {},
    });
    const w = setupWorker({ jobs: [sendInvoice] });
    await w.jobs.enqueue(sendInvoice, { invoiceId: "inv_1" }, { id: "inv-2026-0001" });
    const [message] = await w.driver.receive("default");

    const built = messageToRecord(must(message), sourceOf(record(standardEvent)));

    // Same body as the fixture (same envelope), so the same digests.
    expect(built).toEqual({
      ...record(standardEvent),
      messageId: must(message).messageId,
      receiptHandle: must(message).receiptHandle,
      attributes: {
        ApproximateReceiveCount: "1",
        SentTimestamp: "1767225600000",
        SenderId: "AIDAIENQZJOLO23YVJ4VO",
        ApproximateFirstReceiveTimestamp: "1767225600000",
      },
    });
    expect(Object.keys(built).sort()).toEqual(Object.keys(record(standardEvent)).sort());
    expect(recordToMessage(built)).toEqual({ ...must(message), senderId: "AIDAIENQZJOLO23YVJ4VO" });
  });

  it("builds a FIFO record with the FIFO attributes", async () => {
    const ship = defineJob<{ orderId: string; step: number }>({
      name: "ship-order",
      queue: "orders.fifo",
      group: (p) => `order-${p.orderId}`,
      handler: () => {},
    });
    const w = setupWorker({ jobs: [ship] });
    await w.jobs.enqueue(ship, { orderId: "42", step: 1 }, { id: "ship-42-1" });
    const message = must((await w.driver.receive("orders.fifo"))[0]);
    const built = messageToRecord(message, sourceOf(record(fifoEvent)));
    expect(built.attributes).toEqual({
      ApproximateReceiveCount: "1",
      SentTimestamp: "1767225600000",
      SenderId: "AIDAIENQZJOLO23YVJ4VO",
      ApproximateFirstReceiveTimestamp: "1767225600000",
      SequenceNumber: must(message.sequenceNumber),
      MessageGroupId: "order-42",
      MessageDeduplicationId: "ship-order/ship-42-1",
    });
    expect(built.md5OfBody).toBe(record(fifoEvent).md5OfBody);
    expect(built.eventSourceARN).toBe("arn:aws:sqs:us-east-1:123456789012:orders.fifo");
  });

  it("leaves md5OfMessageAttributes out when there are no attributes, as Lambda does", async () => {
    const w = setupWorker({ jobs: [] });
    await w.driver.send([{ queue: "default", body: "Test message.", attributes: {} }]);
    const message = must((await w.driver.receive("default"))[0]);
    const built = messageToRecord(message, sourceOf(record(standardEvent)));
    expect(built.messageAttributes).toEqual({});
    expect("md5OfMessageAttributes" in built).toBe(false);
    // The digest of the AWS documentation's example event.
    expect(built.md5OfBody).toBe("e4e68fb7bd0e697a0ae8f1bb342846b3");
  });
});

describe("the worker handler with the fixtures", () => {
  it("runs the standard fixture's job and reports nothing failed", async () => {
    const seen: unknown[] = [];
    const sendInvoice = defineJob<{ invoiceId: string }>({
      name: "send-invoice",
      handler: (payload, ctx) => {
        seen.push({ payload, jobId: ctx.jobId, queue: ctx.queue, attempt: ctx.attempt });
      },
    });
    const w = setupWorker({ jobs: [sendInvoice] });
    await expect(w.handler(standardEvent, lambdaContext())).resolves.toEqual({
      batchItemFailures: [],
    });
    expect(seen).toEqual([
      { payload: { invoiceId: "inv_1" }, jobId: "inv-2026-0001", queue: "default", attempt: 1 },
    ]);
  });

  it("runs the periodic job of a Scheduler invocation and of a rule event", async () => {
    const inputs: unknown[] = [];
    const nightly = definePeriodicJob({
      name: "nightly-report",
      schedule: "cron(0 3 * * ? *)",
      handler: (ctx) => {
        inputs.push(ctx.input);
      },
    });
    const w = setupWorker({ jobs: [nightly] });
    await expect(w.handler(schedulerInvocation, lambdaContext())).resolves.toBeUndefined();
    await expect(w.handler(ruleEvent, lambdaContext())).resolves.toBeUndefined();
    expect(inputs).toEqual([{ day: "2026-01-01" }, undefined]);
  });
});

describe("messageToRecord with the transport's digests", () => {
  it("reuses the MD5 digests SQS sent instead of hashing again", () => {
    const record = messageToRecord(
      {
        queue: "q",
        messageId: "m",
        receiptHandle: "r",
        body: "{}",
        attributes: { a: "b" },
        receiveCount: 1,
        sentTimestamp: 1,
        firstReceiveTimestamp: 1,
        md5OfBody: "from-sqs-body",
        md5OfMessageAttributes: "from-sqs-attributes",
      },
      { eventSourceARN: "arn:aws:sqs:us-east-1:1:q", awsRegion: "us-east-1" },
    );
    expect(record.md5OfBody).toBe("from-sqs-body");
    expect(record.md5OfMessageAttributes).toBe("from-sqs-attributes");
  });
});
