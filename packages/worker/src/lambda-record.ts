import type { ReceivedMessage } from "@glasswork/core";
import type { SQSMessageAttributes, SQSRecord } from "aws-lambda";

/** The queue name in an SQS ARN (`arn:aws:sqs:region:account:name`). */
export function queueNameFromArn(arn: string): string {
  return arn.slice(arn.lastIndexOf(":") + 1);
}

/** Reads a Lambda SQS record as a driver message. */
export function recordToMessage(record: SQSRecord): ReceivedMessage {
  return readRecord(record, queueNameFromArn(record.eventSourceARN));
}

/**
 * Reads an event's records as driver messages. An event source mapping has one queue, so the
 * queue name is read from the ARN once (again only if a record names another ARN).
 */
export function recordsToMessages(records: readonly SQSRecord[]): ReceivedMessage[] {
  const messages: ReceivedMessage[] = new Array(records.length);
  let arn: string | undefined;
  let queue = "";
  for (let i = 0; i < records.length; i++) {
    const record = records[i] as SQSRecord;
    if (record.eventSourceARN !== arn) {
      arn = record.eventSourceARN;
      queue = queueNameFromArn(arn);
    }
    messages[i] = readRecord(record, queue);
  }
  return messages;
}

function readRecord(record: SQSRecord, queue: string): ReceivedMessage {
  const { attributes } = record;
  const message: {
    -readonly [K in keyof ReceivedMessage]: ReceivedMessage[K];
  } = {
    queue,
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
