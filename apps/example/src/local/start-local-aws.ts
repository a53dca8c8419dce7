import { CreateBucketCommand, S3Client } from "@aws-sdk/client-s3";
import { CreateQueueCommand, GetQueueAttributesCommand, SQSClient } from "@aws-sdk/client-sqs";
import { buildApp } from "fauxqs";

/** An SQS- and S3-compatible server (fauxqs) running inside this process, for local development. */
export interface LocalAws {
  readonly endpoint: string;
  readonly region: string;
  readonly credentials: { accessKeyId: string; secretAccessKey: string };
  readonly jobsQueueUrl: string;
  readonly deadLetterQueueUrl: string;
  /** The images bucket, served path-style on the same endpoint. */
  readonly imagesBucket: string;
  stop(): Promise<void>;
}

/**
 * Starts fauxqs on 127.0.0.1 (a random port unless given) and creates what the SAM template
 * does: a jobs queue with the SQS default 256 KiB limit and a redrive policy to a dead-letter
 * queue, and the images bucket (fauxqs serves S3 on the same port).
 */
export async function startLocalAws(
  options: { port?: number; region?: string } = {},
): Promise<LocalAws> {
  const region = options.region ?? "us-east-1";
  const server = buildApp({ logger: false });
  // Never 0.0.0.0: the local queue is for this machine only.
  const endpoint = await server.listen({ host: "127.0.0.1", port: options.port ?? 0 });
  const credentials = { accessKeyId: "local", secretAccessKey: "local" };
  const client = new SQSClient({ endpoint, region, credentials });
  const s3 = new S3Client({ endpoint, region, credentials, forcePathStyle: true });
  const imagesBucket = "glasswork-example-images";
  try {
    await s3.send(new CreateBucketCommand({ Bucket: imagesBucket }));
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
      imagesBucket,
      stop: async () => {
        client.destroy();
        s3.destroy();
        await server.close();
      },
    };
  } catch (error) {
    client.destroy();
    s3.destroy();
    await server.close();
    throw error;
  }
}

function required<T>(value: T | undefined, what: string): T {
  if (value === undefined) throw new Error(`local SQS/S3 returned no ${what}`);
  return value;
}
