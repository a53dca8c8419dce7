import { createHash } from "node:crypto";
import type { ReceivedMessage } from "@glasswork/core";
import type { SQSMessageAttributes, SQSRecord } from "aws-lambda";

/** Where the records say they come from. */
export interface RecordSource {
  /** `arn:aws:sqs:<region>:<account>:<queue>` */
  readonly eventSourceARN: string;
  readonly awsRegion: string;
}

/**
 * Builds the Lambda SQS record for a received message, field for field as the Lambda event
 * source mapping does (including the MD5 digests), so the poller runs the Lambda handler as is.
 */
export function messageToRecord(message: ReceivedMessage, source: RecordSource): SQSRecord {
  const messageAttributes: SQSMessageAttributes = {};
  for (const [name, value] of Object.entries(message.attributes)) {
    messageAttributes[name] = {
      stringValue: value,
      stringListValues: [],
      binaryListValues: [],
      dataType: "String",
    };
  }
  const hasAttributes = Object.keys(messageAttributes).length > 0;
  return {
    messageId: message.messageId,
    receiptHandle: message.receiptHandle,
    body: message.body,
    attributes: {
      ApproximateReceiveCount: String(message.receiveCount),
      SentTimestamp: String(message.sentTimestamp),
      SenderId: message.senderId ?? "AIDAIENQZJOLO23YVJ4VO",
      ApproximateFirstReceiveTimestamp: String(message.firstReceiveTimestamp),
      ...(message.sequenceNumber !== undefined && { SequenceNumber: message.sequenceNumber }),
      ...(message.groupId !== undefined && { MessageGroupId: message.groupId }),
      ...(message.deduplicationId !== undefined && {
        MessageDeduplicationId: message.deduplicationId,
      }),
    },
    messageAttributes,
    // SQS already sent both digests (and the SDK checked them): reuse them rather than hash again.
    md5OfBody: message.md5OfBody ?? createHash("md5").update(message.body, "utf8").digest("hex"),
    ...(hasAttributes && {
      md5OfMessageAttributes:
        message.md5OfMessageAttributes ?? md5OfMessageAttributes(message.attributes),
    }),
    eventSource: "aws:sqs",
    eventSourceARN: source.eventSourceARN,
    awsRegion: source.awsRegion,
  };
}

/** SQS's digest of string message attributes: sorted by name, each length-prefixed. */
export function md5OfMessageAttributes(attributes: Readonly<Record<string, string>>): string {
  const hash = createHash("md5");
  for (const name of Object.keys(attributes).sort()) {
    const value = attributes[name] ?? "";
    hash.update(lengthPrefixed(name));
    hash.update(lengthPrefixed("String"));
    hash.update(Uint8Array.of(1)); // transport type 1: string
    hash.update(lengthPrefixed(value));
  }
  return hash.digest("hex");
}

function lengthPrefixed(text: string): Buffer {
  const bytes = Buffer.from(text, "utf8");
  const length = Buffer.alloc(4);
  length.writeUInt32BE(bytes.length);
  return Buffer.concat([length, bytes]);
}
