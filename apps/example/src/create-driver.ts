import { SQSQueueDriver } from "@glasswork/driver-sqs";
import type { AppConfig } from "./config.js";
import type { LocalAws } from "./local/start-local-aws.js";

/** The logical name of the jobs queue; the driver maps it to the real URL. */
export const JOBS_QUEUE = "default";

/** The SQS driver for the configured queues, or for the embedded local SQS. */
export function createDriver(config: AppConfig, localSqs?: LocalAws): SQSQueueDriver {
  const queueUrl = localSqs?.jobsQueueUrl ?? config.JOBS_QUEUE_URL;
  const deadLetterUrl = localSqs?.deadLetterQueueUrl ?? config.JOBS_DLQ_URL;
  if (!queueUrl || !deadLetterUrl)
    throw new Error("Invalid configuration: JOBS_QUEUE_URL and JOBS_DLQ_URL are required");
  return new SQSQueueDriver({
    queues: { [JOBS_QUEUE]: queueUrl },
    deadLetterQueues: { [JOBS_QUEUE]: deadLetterUrl },
    region: config.AWS_REGION,
    ...(localSqs && { endpoint: localSqs.endpoint, credentials: localSqs.credentials }),
    ...(!localSqs && config.SQS_ENDPOINT && { endpoint: config.SQS_ENDPOINT }),
  });
}
