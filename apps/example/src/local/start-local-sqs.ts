import { CreateQueueCommand, GetQueueAttributesCommand, SQSClient } from "@aws-sdk/client-sqs";
import { buildApp } from "fauxqs";

/** An SQS-compatible server running inside this process, for local development. */
export interface LocalSqs {
  readonly endpoint: string;
  readonly region: string;
  readonly credentials: { accessKeyId: string; secretAccessKey: string };
  readonly jobsQueueUrl: string;
  readonly deadLetterQueueUrl: string;
  stop(): Promise<void>;
}

/**
 * Starts fauxqs on 127.0.0.1 (a random port unless given) and creates the app's queues the way
 * the SAM template does: a jobs queue with the SQS default 256 KiB limit and a redrive policy to
 * a dead-letter queue.
 */
export async function startLocalSqs(
  options: { port?: number; region?: string } = {},
): Promise<LocalSqs> {
  const region = options.region ?? "us-east-1";
  const server = buildApp({ logger: false });
  // Never 0.0.0.0: the local queue is for this machine only.
  const endpoint = await server.listen({ host: "127.0.0.1", port: options.port ?? 0 });
  const credentials = { accessKeyId: "local", secretAccessKey: "local" };
  const client = new SQSClient({ endpoint, region, credentials });
  try {
    const dlq = await client.send(
      new CreateQueueCommand({
        QueueName: "glasswork-example-dlq",
        Attributes: { MessageRetentionPeriod: "1209600" },
      }),
    );
    const dlqUrl = required(dlq.QueueUrl, "dead-letter queue");
    const dlqArn = (
      await client.send(
        new GetQueueAttributesCommand({ QueueUrl: dlqUrl, AttributeNames: ["QueueArn"] }),
      )
    ).Attributes?.QueueArn;
    const jobs = await client.send(
      new CreateQueueCommand({
        QueueName: "glasswork-example-jobs",
        Attributes: {
          MaximumMessageSize: "262144",
          VisibilityTimeout: "30",
          RedrivePolicy: JSON.stringify({
            deadLetterTargetArn: required(dlqArn, "DLQ ARN"),
            maxReceiveCount: 30,
          }),
        },
      }),
    );
    return {
      endpoint,
      region,
      credentials,
      jobsQueueUrl: required(jobs.QueueUrl, "jobs queue"),
      deadLetterQueueUrl: dlqUrl,
      stop: async () => {
        client.destroy();
        await server.close();
      },
    };
  } catch (error) {
    client.destroy();
    await server.close();
    throw error;
  }
}

function required<T>(value: T | undefined, what: string): T {
  if (value === undefined) throw new Error(`local SQS returned no ${what}`);
  return value;
}
