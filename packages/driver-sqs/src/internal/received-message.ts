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
  return {
    queue,
    messageId: message.MessageId ?? "",
    receiptHandle: message.ReceiptHandle ?? "",
    body: message.Body ?? "",
    attributes: fromSqsAttributes(message.MessageAttributes),
    receiveCount: Number(system.ApproximateReceiveCount ?? 1),
    sentTimestamp,
    firstReceiveTimestamp: Number(system.ApproximateFirstReceiveTimestamp ?? sentTimestamp),
    ...(system.SenderId !== undefined && { senderId: system.SenderId }),
    ...(system.MessageGroupId !== undefined && { groupId: system.MessageGroupId }),
    ...(system.MessageDeduplicationId !== undefined && {
      deduplicationId: system.MessageDeduplicationId,
    }),
    ...(system.SequenceNumber !== undefined && { sequenceNumber: system.SequenceNumber }),
    ...(message.MD5OfBody !== undefined && { md5OfBody: message.MD5OfBody }),
    ...(message.MD5OfMessageAttributes !== undefined && {
      md5OfMessageAttributes: message.MD5OfMessageAttributes,
    }),
  };
}
