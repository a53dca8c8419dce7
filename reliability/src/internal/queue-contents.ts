import {
  DeleteMessageBatchCommand,
  GetQueueAttributesCommand,
  type Message,
  ReceiveMessageCommand,
  type SQSClient,
} from "@aws-sdk/client-sqs";
import { DEAD_LETTER_ATTRIBUTES } from "@glasswork/core";

/**
 * Receives every visible message of a queue and keeps them hidden (10 minutes), so that what a
 * test reads is the queue's whole content. A FIFO queue hands out nothing more of a message
 * group while one of its messages is in flight, so there each message is deleted once read.
 * Bounded: at most `limit` messages, `timeoutMs` (default 5 minutes).
 */
export async function readQueue(
  client: SQSClient,
  url: string,
  options: { readonly limit?: number; readonly lanes?: number; readonly timeoutMs?: number } = {},
): Promise<Message[]> {
  const fifo = url.endsWith(".fifo");
  const limit = options.limit ?? 200_000;
  const end = Date.now() + (options.timeoutMs ?? 300_000);
  const messages: Message[] = [];
  const lane = async () => {
    while (messages.length < limit && Date.now() < end) {
      const { Messages = [] } = await client.send(
        new ReceiveMessageCommand({
          QueueUrl: url,
          MaxNumberOfMessages: 10,
          VisibilityTimeout: 600,
          WaitTimeSeconds: 0,
          MessageAttributeNames: ["All"],
          MessageSystemAttributeNames: ["All"],
        }),
      );
      if (Messages.length === 0) return;
      messages.push(...Messages);
      if (fifo) {
        await client.send(
          new DeleteMessageBatchCommand({
            QueueUrl: url,
            Entries: Messages.map((m, i) => ({ Id: String(i), ReceiptHandle: m.ReceiptHandle })),
          }),
        );
      }
    }
  };
  for (let round = 0; round < 5; round++) {
    await Promise.all(Array.from({ length: options.lanes ?? 4 }, lane));
    const { Attributes = {} } = await client.send(
      new GetQueueAttributesCommand({
        QueueUrl: url,
        AttributeNames: ["ApproximateNumberOfMessages", "ApproximateNumberOfMessagesDelayed"],
      }),
    );
    const left =
      Number(Attributes.ApproximateNumberOfMessages ?? 0) +
      Number(Attributes.ApproximateNumberOfMessagesDelayed ?? 0);
    if (left === 0 || messages.length >= limit || Date.now() >= end) break;
    // Delayed messages become visible later: wait for them (bounded by the rounds).
    await new Promise((resolve) => setTimeout(resolve, 1_000));
  }
  return messages;
}

/** The dead-letter reason the worker attached to a message (`none` when there is none). */
export function deadLetterReason(message: Message): string {
  return message.MessageAttributes?.[DEAD_LETTER_ATTRIBUTES.reason]?.StringValue ?? "none";
}

/** The job id of an envelope body, or undefined when the body is not one. */
export function jobIdOf(body: string | undefined): string | undefined {
  try {
    const parsed = JSON.parse(body ?? "") as { id?: unknown };
    return typeof parsed.id === "string" ? parsed.id : undefined;
  } catch {
    return undefined;
  }
}
