import { CreateQueueCommand, GetQueueAttributesCommand, SQSClient } from "@aws-sdk/client-sqs";
import { buildApp } from "fauxqs";
import { expect, it } from "vitest";
import { SQSQueueDriver } from "./sqs-queue-driver.js";

// Issue 11: the README's local-development snippet created no dead-letter queue, so a
// PermanentJobError there only logged NoDeadLetterQueueError. This is the snippet, then a check.
it("the README's local-development snippet gives a queue whose dead letters arrive in its DLQ", async () => {
  const app = buildApp({ logger: false });
  const endpoint = await app.listen({ host: "127.0.0.1", port: 0 });

  const client = new SQSClient({
    endpoint,
    region: "us-east-1",
    credentials: { accessKeyId: "test", secretAccessKey: "test" },
  });
  const dlq = await client.send(
    new CreateQueueCommand({
      QueueName: "my-app-jobs-dlq",
      Attributes: { MaximumMessageSize: "262144" },
    }),
  );
  if (!dlq.QueueUrl) throw new Error("no dead-letter queue URL");
  const { Attributes } = await client.send(
    new GetQueueAttributesCommand({ QueueUrl: dlq.QueueUrl, AttributeNames: ["QueueArn"] }),
  );
  const { QueueUrl } = await client.send(
    new CreateQueueCommand({
      QueueName: "my-app-jobs",
      Attributes: {
        MaximumMessageSize: "262144",
        RedrivePolicy: JSON.stringify({
          deadLetterTargetArn: Attributes?.QueueArn,
          maxReceiveCount: 30,
        }),
      },
    }),
  );
  if (!QueueUrl) throw new Error("no queue URL");
  const driver = new SQSQueueDriver({ client, queues: { default: QueueUrl } });

  try {
    expect(await driver.queueInfo("default")).toMatchObject({
      fifo: false,
      deadLetterQueue: "my-app-jobs-dlq",
      maxReceiveCount: 30,
      maxMessageBytes: 262_144,
    });
    await driver.send([{ queue: "default", body: "{}", attributes: { "glasswork.job": "x" } }]);
    const [received] = await driver.receive("default");
    if (!received) throw new Error("nothing received");
    await driver.moveToDeadLetter(received, { reason: "permanent", attempt: 1 });
    const [dead] = await driver.receive("my-app-jobs-dlq");
    expect(dead?.attributes["glasswork.dlq.reason"]).toBe("permanent");
  } finally {
    await driver.dispose();
    client.destroy();
    await app.close();
  }
});
