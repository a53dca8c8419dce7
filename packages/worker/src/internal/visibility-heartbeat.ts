import type { Logger, QueueDriver, ReceivedMessage } from "@glasswork/core";

interface Hold {
  readonly releaseSeconds: number;
  /** Epoch ms after which the record is released even though its handler still runs. */
  readonly until: number;
}

/**
 * Keeps the messages of a running batch invisible: every half visibility timeout it extends
 * the visibility of each message the worker has not settled yet. A message the worker gave up
 * on while its handler still runs is {@link hold held}: extended past the batch's end, until
 * the handler settles or `maxHoldSeconds` pass, then made visible after its retry delay.
 */
export class VisibilityHeartbeat {
  // Made on first use: most batches end long before their first beat, with nothing settled
  // early, held or extended.
  #settled: Set<string> | undefined;
  #pending: Map<string, Promise<void>> | undefined;
  #held: Map<string, Hold> | undefined;
  #released: Promise<void>[] | undefined;
  #drainWaiters: (() => void)[] | undefined;
  readonly #timer: ReturnType<typeof setInterval>;
  #stopped = false;

  constructor(
    private readonly driver: QueueDriver,
    private readonly queue: string,
    private readonly messages: readonly ReceivedMessage[],
    private readonly visibilityTimeoutSeconds: number,
    private readonly logger: Logger,
    private readonly maxHoldSeconds: number,
  ) {
    this.#timer = setInterval(() => this.#beat(), (visibilityTimeoutSeconds * 1000) / 2);
    this.#timer.unref?.();
  }

  /** Stops extending one message, after any extension in flight for it has landed. */
  settle = async (messageId: string): Promise<void> => {
    this.#settled ??= new Set();
    this.#settled.add(messageId);
    await this.#pending?.get(messageId);
  };

  /**
   * Keeps a given-up message invisible while `running` runs (at most `maxHoldSeconds`), then
   * sets its visibility to `releaseSeconds`.
   */
  hold = (messageId: string, running: Promise<boolean>, releaseSeconds: number): void => {
    this.#held ??= new Map();
    this.#held.set(messageId, {
      releaseSeconds,
      until: Date.now() + this.maxHoldSeconds * 1000,
    });
    void running.then((completed) => this.#release(messageId, false, completed));
  };

  /** Stops extending every message that is not held; resolves once any extension in flight landed. */
  async stop(): Promise<void> {
    this.#stopped = true;
    if (this.#held === undefined || this.#held.size === 0) {
      // No beat comes after this: nothing needs to be marked settled.
      clearInterval(this.#timer);
    } else {
      this.#settled ??= new Set();
      const settled = this.#settled;
      for (const message of this.messages) {
        if (!this.#held.has(message.messageId)) settled.add(message.messageId);
      }
    }
    if (this.#pending !== undefined && this.#pending.size > 0) {
      await Promise.all(this.#pending.values());
    }
  }

  /**
   * Whether {@link drained} has something to wait for: a held message, or a release of one
   * still in flight.
   */
  get holding(): boolean {
    return (this.#held?.size ?? 0) > 0 || (this.#released?.length ?? 0) > 0;
  }

  /** Resolves when every held message has been released. */
  async drained(): Promise<void> {
    if (this.#held !== undefined && this.#held.size > 0) {
      this.#drainWaiters ??= [];
      const waiters = this.#drainWaiters;
      await new Promise<void>((resolve) => waiters.push(resolve));
    }
    if (this.#released !== undefined) await Promise.all(this.#released);
  }

  #release(messageId: string, overdue: boolean, completed = false): void {
    const hold = this.#held?.get(messageId);
    if (!hold) return;
    this.#held?.delete(messageId);
    if (overdue) {
      this.logger.error(
        { messageId, queue: this.queue, maxHoldSeconds: this.maxHoldSeconds },
        `a given-up job is still running after ${this.maxHoldSeconds} s; releasing its message, so it may run twice at once`,
      );
    }
    if (completed) {
      this.logger.info(
        { messageId, queue: this.queue },
        "a given-up job completed after all; deleting its message instead of retrying it",
      );
    }
    const release = this.settle(messageId)
      .then(() =>
        completed
          ? this.driver.delete(this.queue, [this.#handleOf(messageId)])
          : this.driver.changeVisibility(
              this.queue,
              this.#handleOf(messageId),
              hold.releaseSeconds,
            ),
      )
      .catch((error: unknown) => {
        this.logger.warn(
          { err: error, messageId },
          completed
            ? "could not delete a given-up message whose job completed; it comes back and runs again"
            : "could not release a given-up message; it comes back after its visibility timeout",
        );
      });
    this.#released ??= [];
    this.#released.push(release);
    if ((this.#held?.size ?? 0) > 0) return;
    if (this.#stopped) clearInterval(this.#timer);
    for (const resolve of this.#drainWaiters?.splice(0) ?? []) resolve();
  }

  #handleOf(messageId: string): string {
    return this.messages.find((m) => m.messageId === messageId)?.receiptHandle ?? "";
  }

  #beat(): void {
    const now = Date.now();
    if (this.#held !== undefined) {
      for (const [messageId, hold] of this.#held) {
        if (now >= hold.until) this.#release(messageId, true);
      }
    }
    this.#pending ??= new Map();
    const pending = this.#pending;
    for (const message of this.messages) {
      if (this.#settled?.has(message.messageId) || pending.has(message.messageId)) continue;
      const extension = this.driver
        .changeVisibility(this.queue, message.receiptHandle, this.visibilityTimeoutSeconds)
        .catch((error: unknown) => {
          this.logger.warn(
            { err: error, messageId: message.messageId },
            "could not extend the visibility of a running job",
          );
        })
        .finally(() => pending.delete(message.messageId));
      pending.set(message.messageId, extension);
    }
  }
}
