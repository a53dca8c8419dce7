import type { ReceivedMessage } from "@glasswork/core";
import type { SQSMessageAttributes, SQSRecord } from "aws-lambda";

/** The queue name in an SQS ARN (`arn:aws:sqs:region:account:name`). */
export function queueNameFromArn(arn: string): string {
  return arn.slice(arn.lastIndexOf(":") + 1);
}

/** Reads a Lambda SQS record as a driver message. */
export function recordToMessage(record: SQSRecord): ReceivedMessage {
  const { attributes } = record;
  const message: {
    -readonly [K in keyof ReceivedMessage]: ReceivedMessage[K];
  } = {
    queue: queueNameFromArn(record.eventSourceARN),
    messageId: record.messageId,
    receiptHandle: record.receiptHandle,
    body: record.body,
    attributes: stringAttributes(record.messageAttributes),
    receiveCount: Number(attributes.ApproximateReceiveCount) || 1,
    sentTimestamp: Number(attributes.SentTimestamp) || 0,
    firstReceiveTimestamp: Number(attributes.ApproximateFirstReceiveTimestamp) || 0,
    senderId: attributes.SenderId,
  };
  // Assigned, not spread: this runs for every record.
  if (attributes.MessageGroupId !== undefined) message.groupId = attributes.MessageGroupId;
  if (attributes.MessageDeduplicationId !== undefined)
    message.deduplicationId = attributes.MessageDeduplicationId;
  if (attributes.SequenceNumber !== undefined) message.sequenceNumber = attributes.SequenceNumber;
  return message;
}

function stringAttributes(attributes: SQSMessageAttributes | undefined): Record<string, string> {
  const out: Record<string, string> = {};
  if (!attributes) return out;
  for (const name in attributes) {
    const value = attributes[name]?.stringValue;
    if (value !== undefined) out[name] = value;
  }
  return out;
}
