// Test-only helper (excluded from the build and the published package): what EventBridge
// Scheduler does when a schedule fires, done against a local SQS server.
import type { Target } from "@aws-sdk/client-scheduler";
import {
  type MessageAttributeValue,
  SendMessageCommand,
  type SQSClient,
} from "@aws-sdk/client-sqs";

/**
 * Sends a fired schedule's target to SQS as the scheduler would: for the universal target
 * (`aws-sdk:sqs:sendMessage`) its Input is the SendMessage request, sent as it is except for the
 * queue URL (mapped to the local server by `localUrl`); for the templated target the Input is
 * the body, with `SqsParameters.MessageGroupId` and no attributes.
 *
 * @example
 * await deliverTarget(fake.fire(name, "jobs"), sqs.client, (url) => queue.url);
 */
export async function deliverTarget(
  target: Target,
  client: SQSClient,
  localUrl: (awsQueueUrlOrArn: string) => string,
): Promise<void> {
  if (target.Arn?.endsWith(":aws-sdk:sqs:sendMessage")) {
    const request = JSON.parse(String(target.Input)) as {
      QueueUrl: string;
      MessageBody: string;
      MessageAttributes?: Record<string, MessageAttributeValue>;
      MessageGroupId?: string;
      MessageDeduplicationId?: string;
    };
    await client.send(new SendMessageCommand({ ...request, QueueUrl: localUrl(request.QueueUrl) }));
    return;
  }
  await client.send(
    new SendMessageCommand({
      QueueUrl: localUrl(String(target.Arn)),
      MessageBody: String(target.Input),
      ...(target.SqsParameters?.MessageGroupId !== undefined && {
        MessageGroupId: target.SqsParameters.MessageGroupId,
      }),
    }),
  );
}
