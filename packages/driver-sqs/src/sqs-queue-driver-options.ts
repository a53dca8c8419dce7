import type { SQSClient, SQSClientConfig } from "@aws-sdk/client-sqs";

/** Default number of batch requests `send` keeps in flight. */
export const DEFAULT_SEND_CONCURRENCY = 10;

/** Options of `SQSQueueDriver`. */
export interface SQSQueueDriverOptions {
  /**
   * Logical queue name → queue URL. Names not listed here are taken as physical queue names
   * and looked up once with `GetQueueUrl`.
   */
  readonly queues?: Readonly<Record<string, string>>;
  /** Your own client. The driver then never destroys it; do not combine with the options below. */
  readonly client?: SQSClient;
  /** AWS region of a client the driver creates. Default: the SDK's (e.g. `AWS_REGION`). */
  readonly region?: string;
  /** Endpoint of a client the driver creates, e.g. a local server (`http://127.0.0.1:9324`). */
  readonly endpoint?: string;
  /** Credentials of a client the driver creates. Default: the SDK's provider chain. */
  readonly credentials?: SQSClientConfig["credentials"];
  /**
   * Largest message (body plus attributes) and largest batch request, in bytes. Default 262,144;
   * at most 1,048,576 for queues whose `MaximumMessageSize` allows it.
   */
  readonly maxMessageBytes?: number;
  /**
   * Source queue → its dead-letter queue (a logical name, physical name or URL). Queues not
   * listed use the dead-letter queue of their `RedrivePolicy`.
   */
  readonly deadLetterQueues?: Readonly<Record<string, string>>;
  /** Batch requests `send` keeps in flight at once. Default 10. */
  readonly concurrency?: number;
}
