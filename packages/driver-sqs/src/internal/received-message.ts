import type { Message, MessageSystemAttributeName } from "@aws-sdk/client-sqs";
import type { ReceivedMessage } from "@glasswork/core";
import { fromSqsAttributes } from "./message-attributes.js";

/** The system attributes a receive asks for: what a `ReceivedMessage` carries. */
export const RECEIVE_SYSTEM_ATTRIBUTES: readonly MessageSystemAttributeName[] = [
  "ApproximateReceiveCount",
  "SentTimestamp",
  "ApproximateFirstReceiveTimestamp",
  "SenderId",
  "MessageGroupId",
  "MessageDeduplicationId",
  "SequenceNumber",
];

/** Converts an SQS message to a `ReceivedMessage`; `queue` is the name the caller used. */
export function toReceivedMessage(queue: string, message: Message): ReceivedMessage {
  const system = message.Attributes ?? {};
  const sentTimestamp = Number(system.SentTimestamp ?? 0);
  const received: { -readonly [K in keyof ReceivedMessage]: ReceivedMessage[K] } = {
    queue,
    messageId: message.MessageId ?? "",
    receiptHandle: message.ReceiptHandle ?? "",
    body: message.Body ?? "",
    attributes: fromSqsAttributes(message.MessageAttributes),
    receiveCount: Number(system.ApproximateReceiveCount ?? 1),
    sentTimestamp,
    firstReceiveTimestamp: Number(system.ApproximateFirstReceiveTimestamp ?? sentTimestamp),
  };
  // Assigned, not spread: this runs for every message received.
  if (system.SenderId !== undefined) received.senderId = system.SenderId;
  if (system.MessageGroupId !== undefined) received.groupId = system.MessageGroupId;
  if (system.MessageDeduplicationId !== undefined) {
    received.deduplicationId = system.MessageDeduplicationId;
  }
  if (system.SequenceNumber !== undefined) received.sequenceNumber = system.SequenceNumber;
  if (message.MD5OfBody !== undefined) received.md5OfBody = message.MD5OfBody;
  if (message.MD5OfMessageAttributes !== undefined) {
    received.md5OfMessageAttributes = message.MD5OfMessageAttributes;
  }
  return received;
}
