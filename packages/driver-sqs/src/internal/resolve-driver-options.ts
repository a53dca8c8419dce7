import { DEFAULT_MAX_MESSAGE_BYTES, MAX_MESSAGE_BYTES } from "@glasswork/core";
import {
  DEFAULT_SEND_CONCURRENCY,
  type SQSQueueDriverOptions,
} from "../sqs-queue-driver-options.js";
import { isQueueUrl } from "./queue-names.js";
import { SqsConnection } from "./sqs-connection.js";

/** The driver's options, checked, with defaults applied. */
export interface ResolvedDriverOptions {
  /** The caller's client, or the settings of the one made on first use. */
  readonly sqs: SqsConnection;
  readonly maxMessageBytes: number;
  readonly concurrency: number;
}

/**
 * Checks `SQSQueueDriver`'s options (a client or client settings, not both; limits in range;
 * queue URLs that are URLs); the client is made on first use when none is given. Throws `TypeError` or
 * `RangeError` naming the option.
 */
export function resolveDriverOptions(options: SQSQueueDriverOptions): ResolvedDriverOptions {
  const { client, region, endpoint, credentials } = options;
  if (client && (region !== undefined || endpoint !== undefined || credentials !== undefined)) {
    throw new TypeError(
      "SQSQueueDriver: pass either client or region/endpoint/credentials, not both: configure your own client instead",
    );
  }
  const maxMessageBytes = options.maxMessageBytes ?? DEFAULT_MAX_MESSAGE_BYTES;
  if (
    !Number.isInteger(maxMessageBytes) ||
    maxMessageBytes < 1_024 ||
    maxMessageBytes > MAX_MESSAGE_BYTES
  ) {
    throw new RangeError(
      `SQSQueueDriver: maxMessageBytes must be an integer from 1024 to ${MAX_MESSAGE_BYTES}, got ${maxMessageBytes}`,
    );
  }
  const concurrency = options.concurrency ?? DEFAULT_SEND_CONCURRENCY;
  if (!Number.isInteger(concurrency) || concurrency < 1) {
    throw new RangeError(
      `SQSQueueDriver: concurrency must be a positive integer, got ${concurrency}`,
    );
  }
  for (const [name, url] of Object.entries(options.queues ?? {})) {
    if (!isQueueUrl(url)) {
      throw new TypeError(
        `SQSQueueDriver: queues.${name} must be a queue URL (https://sqs.<region>.amazonaws.com/<account>/<name>), got ${JSON.stringify(url)}`,
      );
    }
  }
  return {
    sqs: new SqsConnection(client, {
      ...(region !== undefined && { region }),
      ...(endpoint !== undefined && { endpoint }),
      ...(credentials !== undefined && { credentials }),
    }),
    maxMessageBytes,
    concurrency,
  };
}
