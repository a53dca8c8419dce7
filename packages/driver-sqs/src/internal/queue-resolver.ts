import { isQueueUrl, queueNameFromUrl } from "./queue-names.js";
import type { SqsConnection } from "./sqs-connection.js";
import { toQueueDriverError } from "./sqs-errors.js";

/**
 * Turns the names callers use into queue URLs. A name may be a logical name from the `queues`
 * option, a physical queue name (as in a Lambda record's `eventSourceARN`), or a queue URL.
 * Physical names that no configured URL ends with are looked up once with `GetQueueUrl`.
 */
export class QueueResolver {
  readonly #sqs: SqsConnection;
  readonly #logical: ReadonlyMap<string, string>;
  readonly #physical: ReadonlyMap<string, string>;
  readonly #lookups = new Map<string, Promise<string>>();

  /** `queues` maps logical names to queue URLs. */
  constructor(sqs: SqsConnection, queues: Readonly<Record<string, string>> = {}) {
    this.#sqs = sqs;
    this.#logical = new Map(Object.entries(queues));
    this.#physical = new Map(Object.values(queues).map((url) => [queueNameFromUrl(url), url]));
  }

  /** The URL of `queue` if it is known without asking SQS. */
  known(queue: string): string | undefined {
    if (isQueueUrl(queue)) return queue;
    return this.#logical.get(queue) ?? this.#physical.get(queue);
  }

  /** The physical name of `queue`, without asking SQS. */
  physicalName(queue: string): string {
    const url = this.known(queue);
    return url === undefined ? queue : queueNameFromUrl(url);
  }

  /** True when `queue` names the queue at `url`. */
  names(queue: string, url: string): boolean {
    return this.known(queue) === url || queue === queueNameFromUrl(url);
  }

  /**
   * The URL of `queue`. Rejects with a `QueueDriverError` (for instance when the queue does
   * not exist); a failed lookup is not cached, so a queue created later is found.
   */
  resolve(queue: string, operation: string): Promise<string> {
    const url = this.known(queue);
    if (url !== undefined) return Promise.resolve(url);
    return this.#lookup(queue, undefined, operation);
  }

  /**
   * The URL of the queue named `name` in `account`. Queues in the same account share a URL
   * prefix, so the URL is derived from `nearUrl` (a queue of that account) when it can be.
   */
  resolveInAccount(
    name: string,
    account: string,
    nearUrl: string,
    operation: string,
  ): Promise<string> {
    const url = this.known(name);
    if (url !== undefined) return Promise.resolve(url);
    const segments = nearUrl.split("/");
    if (segments.length >= 2 && segments.at(-2) === account) {
      return Promise.resolve([...segments.slice(0, -1), name].join("/"));
    }
    return this.#lookup(name, account, operation);
  }

  #lookup(name: string, account: string | undefined, operation: string): Promise<string> {
    const key = account === undefined ? name : `${account}/${name}`;
    const cached = this.#lookups.get(key);
    if (cached) return cached;
    const lookup = (async () => {
      try {
        const { sdk, client } = await this.#sqs.ready();
        const { QueueUrl } = await client.send(
          new sdk.GetQueueUrlCommand({
            QueueName: name,
            ...(account !== undefined && { QueueOwnerAWSAccountId: account }),
          }),
        );
        if (!QueueUrl) throw new Error("GetQueueUrl returned no URL");
        return QueueUrl;
      } catch (error) {
        this.#lookups.delete(key);
        throw toQueueDriverError(error, { queue: name, operation, action: "sqs:GetQueueUrl" });
      }
    })();
    this.#lookups.set(key, lookup);
    return lookup;
  }
}
