import type { Target } from "@aws-sdk/client-scheduler";
import { type OutgoingMessage, SIGNATURE_ATTRIBUTE } from "@glasswork/core";

/**
 * How a schedule reaches the queue:
 * - `"universal"`: the universal target `aws-sdk:sqs:sendMessage`, whose Input is the SendMessage
 *   request itself, so the message keeps its attributes (job name, signature) and, on FIFO
 *   queues, its deduplication id — the message is the one the driver would have sent;
 * - `"templated"`: the SQS templated target (the queue's ARN, the body as Input,
 *   `SqsParameters.MessageGroupId` on FIFO queues). It cannot set message attributes: the
 *   message arrives without the job-name attribute (the worker reads the name from the body),
 *   signed messages cannot be sent this way, and FIFO queues need content-based deduplication.
 */
export type SqsTargetKind = "universal" | "templated";

/** The parts of an SQS queue ARN (`arn:aws:sqs:eu-west-1:123456789012:jobs`). */
export interface QueueArn {
  readonly arn: string;
  readonly partition: string;
  readonly region: string;
  readonly account: string;
  readonly name: string;
}

const QUEUE_ARN = /^arn:(aws[a-z-]*):sqs:([a-z0-9-]+):(\d{12}):([A-Za-z0-9_-]{1,75}(\.fifo)?)$/;

/** Parses an SQS queue ARN; throws a `TypeError` naming the value when it is not one. */
export function parseQueueArn(arn: string): QueueArn {
  const match = QUEUE_ARN.exec(arn);
  if (!match) {
    throw new TypeError(
      `${JSON.stringify(arn)} is not an SQS queue ARN (arn:aws:sqs:<region>:<account>:<name>)`,
    );
  }
  const [, partition = "", region = "", account = "", name = ""] = match;
  return { arn, partition, region, account, name };
}

/** The queue's URL, as the universal target's SendMessage needs it. */
export function queueUrlOf(queue: QueueArn): string {
  const domain = queue.partition === "aws-cn" ? "amazonaws.com.cn" : "amazonaws.com";
  return `https://sqs.${queue.region}.${domain}/${queue.account}/${queue.name}`;
}

/** What {@link sqsTarget} needs besides the message. */
export interface SqsTargetOptions {
  readonly kind: SqsTargetKind;
  readonly queue: QueueArn;
  readonly roleArn: string;
  readonly deadLetterArn: string | undefined;
}

/**
 * The schedule target that delivers `message` to its queue as the driver would have sent it:
 * its body, its attributes (universal target only) and, on FIFO queues, its group id (and, on the
 * universal target, its deduplication id). Throws a `TypeError` for a signed message on the
 * templated target, which would arrive unsigned and be dead-lettered by the worker.
 */
export function sqsTarget(message: OutgoingMessage, options: SqsTargetOptions): Target {
  const { queue, roleArn, deadLetterArn } = options;
  const fifo = queue.name.endsWith(".fifo");
  const common = {
    RoleArn: roleArn,
    ...(deadLetterArn !== undefined && { DeadLetterConfig: { Arn: deadLetterArn } }),
  };
  if (options.kind === "templated") {
    if (SIGNATURE_ATTRIBUTE in message.attributes) {
      throw new TypeError(
        `Queue "${message.queue}": a signed message cannot be scheduled on the templated SQS target, which drops message attributes (the worker would reject it unsigned); use target: "universal"`,
      );
    }
    return {
      ...common,
      Arn: queue.arn,
      Input: message.body,
      ...(fifo &&
        message.groupId !== undefined && {
          SqsParameters: { MessageGroupId: message.groupId },
        }),
    };
  }
  const attributes = Object.entries(message.attributes);
  const sendMessage = {
    QueueUrl: queueUrlOf(queue),
    MessageBody: message.body,
    ...(attributes.length > 0 && {
      MessageAttributes: Object.fromEntries(
        attributes.map(([name, value]) => [name, { DataType: "String", StringValue: value }]),
      ),
    }),
    ...(fifo && message.groupId !== undefined && { MessageGroupId: message.groupId }),
    ...(fifo &&
      message.deduplicationId !== undefined && {
        MessageDeduplicationId: message.deduplicationId,
      }),
  };
  return {
    ...common,
    Arn: `arn:${queue.partition}:scheduler:::aws-sdk:sqs:sendMessage`,
    Input: JSON.stringify(sendMessage),
  };
}
