import type { QueueResolver } from "./queue-resolver.js";
import type { QueueSettingsCache } from "./queue-settings.js";
import type { RedrivePolicy } from "./redrive-policy.js";

/** A dead-letter queue, by physical name and URL. */
export interface DeadLetterQueue {
  readonly name: string;
  readonly url: string;
}

/**
 * Knows each source queue's dead-letter queue: from the `deadLetterQueues` option when it names
 * the queue, else from the queue's `RedrivePolicy` (from the settings cache).
 */
export class DeadLetterQueues {
  readonly #settings: QueueSettingsCache;
  readonly #resolver: QueueResolver;
  readonly #configured: readonly (readonly [string, string])[];

  /** `configured` maps source queues to dead-letter queues (names or URLs). */
  constructor(
    settings: QueueSettingsCache,
    resolver: QueueResolver,
    configured: Readonly<Record<string, string>> = {},
  ) {
    this.#settings = settings;
    this.#resolver = resolver;
    this.#configured = Object.entries(configured);
  }

  /** The configured dead-letter queue (as given in the option) of the queue at `url`. */
  configured(queue: string, url: string): string | undefined {
    const match = this.#configured.find(
      ([source]) => source === queue || this.#resolver.names(source, url),
    );
    return match?.[1];
  }

  /** The physical name of the dead-letter queue of `queue` (at `url`), if it has one. */
  async name(queue: string, url: string, operation: string): Promise<string | undefined> {
    const configured = this.configured(queue, url);
    if (configured !== undefined) return this.#resolver.physicalName(configured);
    return (await this.policy(queue, url, operation))?.deadLetterQueueName;
  }

  /** The dead-letter queue of `queue` (at `url`), if it has one. */
  async find(queue: string, url: string, operation: string): Promise<DeadLetterQueue | undefined> {
    const configured = this.configured(queue, url);
    if (configured !== undefined) {
      return {
        name: this.#resolver.physicalName(configured),
        url: await this.#resolver.resolve(configured, operation),
      };
    }
    const policy = await this.policy(queue, url, operation);
    if (!policy) return undefined;
    const { deadLetterQueueName: name, deadLetterAccount: account } = policy;
    return { name, url: await this.#resolver.resolveInAccount(name, account, url, operation) };
  }

  /** The redrive policy of the queue at `url`, read once and cached. */
  async policy(queue: string, url: string, operation: string): Promise<RedrivePolicy | undefined> {
    return (await this.#settings.read(queue, url, operation)).redrivePolicy;
  }
}
