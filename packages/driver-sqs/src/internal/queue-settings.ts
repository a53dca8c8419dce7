import { parseRedrivePolicy, type RedrivePolicy } from "./redrive-policy.js";
import type { SqsConnection } from "./sqs-connection.js";
import { toQueueDriverError } from "./sqs-errors.js";

/** A queue's configuration as `GetQueueAttributes` reports it. */
export interface QueueSettings {
  readonly redrivePolicy: RedrivePolicy | undefined;
  /** The queue's default visibility timeout, in seconds. */
  readonly visibilityTimeoutSeconds: number | undefined;
  /** The queue's `MaximumMessageSize`, in bytes. */
  readonly maxMessageBytes: number | undefined;
}

/**
 * Reads each queue's redrive policy, visibility timeout and maximum message size in one
 * `GetQueueAttributes` request, once per queue: they change with a deployment, not while a
 * driver runs. A failed read is not cached.
 */
export class QueueSettingsCache {
  readonly #sqs: SqsConnection;
  readonly #settings = new Map<string, Promise<QueueSettings>>();

  constructor(sqs: SqsConnection) {
    this.#sqs = sqs;
  }

  /** The settings of the queue at `url` (`queue` and `operation` name it in errors). */
  read(queue: string, url: string, operation: string): Promise<QueueSettings> {
    const cached = this.#settings.get(url);
    if (cached) return cached;
    const read = (async () => {
      try {
        const { sdk, client } = await this.#sqs.ready();
        const { Attributes = {} } = await client.send(
          new sdk.GetQueueAttributesCommand({
            QueueUrl: url,
            AttributeNames: ["RedrivePolicy", "VisibilityTimeout", "MaximumMessageSize"],
          }),
        );
        return {
          redrivePolicy: parseRedrivePolicy(Attributes.RedrivePolicy),
          visibilityTimeoutSeconds: wholeNumber(Attributes.VisibilityTimeout),
          maxMessageBytes: wholeNumber(Attributes.MaximumMessageSize),
        };
      } catch (error) {
        this.#settings.delete(url);
        throw toQueueDriverError(error, { queue, operation, action: "sqs:GetQueueAttributes" });
      }
    })();
    this.#settings.set(url, read);
    return read;
  }
}

function wholeNumber(value: string | undefined): number | undefined {
  const n = Number(value);
  return value !== undefined && value !== "" && Number.isInteger(n) && n >= 0 ? n : undefined;
}
