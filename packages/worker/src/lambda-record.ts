import type { ReceivedMessage } from "@glasswork/core";
import type { SQSMessageAttributes, SQSRecord } from "aws-lambda";

/** The queue name in an SQS ARN (`arn:aws:sqs:region:account:name`). */
export function queueNameFromArn(arn: string): string {
  return arn.slice(arn.lastIndexOf(":") + 1);
}

/** Reads a Lambda SQS record as a driver message. */
export function recordToMessage(record: SQSRecord): ReceivedMessage {
  const { attributes } = record;
  return {
    queue: queueNameFromArn(record.eventSourceARN),
    messageId: record.messageId,
    receiptHandle: record.receiptHandle,
    body: record.body,
    attributes: stringAttributes(record.messageAttributes),
    receiveCount: Number(attributes.ApproximateReceiveCount) || 1,
    sentTimestamp: Number(attributes.SentTimestamp) || 0,
    firstReceiveTimestamp: Number(attributes.ApproximateFirstReceiveTimestamp) || 0,
    senderId: attributes.SenderId,
    ...(attributes.MessageGroupId !== undefined && { groupId: attributes.MessageGroupId }),
    ...(attributes.MessageDeduplicationId !== undefined && {
      deduplicationId: attributes.MessageDeduplicationId,
    }),
    ...(attributes.SequenceNumber !== undefined && { sequenceNumber: attributes.SequenceNumber }),
  };
}

function stringAttributes(attributes: SQSMessageAttributes | undefined): Record<string, string> {
  const out: Record<string, string> = {};
  if (!attributes) return out;
  for (const [name, attribute] of Object.entries(attributes)) {
    if (attribute?.stringValue !== undefined) out[name] = attribute.stringValue;
  }
  return out;
}
