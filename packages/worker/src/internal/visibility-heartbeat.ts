import type { Logger, QueueDriver, ReceivedMessage } from "@glasswork/core";

/**
 * Keeps the messages of a running batch invisible: every half visibility timeout it extends
 * the visibility of each message the worker has not settled yet.
 */
export class VisibilityHeartbeat {
  readonly #settled = new Set<string>();
  readonly #pending = new Map<string, Promise<void>>();
  readonly #timer: ReturnType<typeof setInterval>;

  constructor(
    private readonly driver: QueueDriver,
    private readonly queue: string,
    private readonly messages: readonly ReceivedMessage[],
    private readonly visibilityTimeoutSeconds: number,
    private readonly logger: Logger,
  ) {
    this.#timer = setInterval(() => this.#beat(), (visibilityTimeoutSeconds * 1000) / 2);
    this.#timer.unref?.();
  }

  /** Stops extending one message, after any extension in flight for it has landed. */
  settle = async (messageId: string): Promise<void> => {
    this.#settled.add(messageId);
    await this.#pending.get(messageId);
  };

  /** Stops extending every message. */
  async stop(): Promise<void> {
    clearInterval(this.#timer);
    for (const message of this.messages) this.#settled.add(message.messageId);
    await Promise.all(this.#pending.values());
  }

  #beat(): void {
    for (const message of this.messages) {
      if (this.#settled.has(message.messageId) || this.#pending.has(message.messageId)) continue;
      const extension = this.driver
        .changeVisibility(this.queue, message.receiptHandle, this.visibilityTimeoutSeconds)
        .catch((error: unknown) => {
          this.logger.warn(
            { err: error, messageId: message.messageId },
            "could not extend the visibility of a running job",
          );
        })
        .finally(() => this.#pending.delete(message.messageId));
      this.#pending.set(message.messageId, extension);
    }
  }
}
