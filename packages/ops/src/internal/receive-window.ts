import type { QueueDriver, ReceivedMessage } from "@glasswork/core";

/** Options of a {@link ReceiveWindow}. */
export interface ReceiveWindowOptions {
  /**
   * Long-poll wait of each receive. SQS answers short polls from a sample of its servers, so an
   * empty short poll does not mean an empty queue; a long poll asks them all. Default 1.
   */
  readonly waitTimeSeconds?: number;
  /** How long received messages stay hidden while the window is open. Default 120. */
  readonly holdSeconds?: number;
  readonly now?: () => number;
}

// Stop this long before the first held message would reappear, so nothing is seen twice.
const HOLD_MARGIN_MS = 5_000;

/**
 * Walks a queue once: each receive hides what it returns for the whole walk, so the next
 * receive returns messages not seen yet. It ends when the queue has nothing more to give (an
 * empty long poll), when a receive brings nothing new (held messages came back), or before the
 * first held message would become visible again — so it terminates whatever the queue's size
 * and speed, and returns each message once. What is still held is released by
 * {@link ReceiveWindow.release}.
 */
export class ReceiveWindow {
  readonly #driver: QueueDriver;
  readonly #queue: string;
  readonly #waitTimeSeconds: number;
  readonly #holdSeconds: number;
  readonly #now: () => number;
  readonly #fifo: boolean;
  readonly #held = new Map<string, string>();
  readonly #seen = new Set<string>();
  #firstReceiveAt: number | undefined;
  #ended = false;
  /**
   * Why the walk ended, once it has. `"fifo-groups-held"`: a FIFO queue answered nothing more
   * while messages of the walk were held; SQS serves a message group in order and nothing of a
   * group while one of its messages is in flight, so what lies behind them was not reached.
   */
  endReason: "empty" | "no-new-messages" | "hold-expiring" | "fifo-groups-held" | undefined;

  constructor(driver: QueueDriver, queue: string, options: ReceiveWindowOptions = {}) {
    this.#driver = driver;
    this.#queue = queue;
    this.#waitTimeSeconds = options.waitTimeSeconds ?? 1;
    this.#holdSeconds = options.holdSeconds ?? 120;
    this.#now = options.now ?? Date.now;
    this.#fifo = queue.endsWith(".fifo");
  }

  /** True when the walk ended before it had seen the whole queue. */
  get incomplete(): boolean {
    return this.endReason === "hold-expiring" || this.endReason === "fifo-groups-held";
  }

  /** True once the walk has ended; {@link next} then returns nothing. */
  get ended(): boolean {
    return this.#ended;
  }

  /** Receives the next messages not seen yet in this walk (empty once it has ended). */
  async next(maxMessages = 10): Promise<ReceivedMessage[]> {
    if (this.#ended) return [];
    if (
      this.#firstReceiveAt !== undefined &&
      this.#now() - this.#firstReceiveAt >= this.#holdSeconds * 1000 - HOLD_MARGIN_MS
    ) {
      return this.#end("hold-expiring");
    }
    this.#firstReceiveAt ??= this.#now();
    const batch = await this.#driver.receive(this.#queue, {
      maxMessages: Math.max(1, Math.min(10, maxMessages)),
      waitTimeSeconds: this.#waitTimeSeconds,
      visibilityTimeoutSeconds: this.#holdSeconds,
    });
    if (batch.length === 0) {
      return this.#end(this.#fifo && this.#held.size > 0 ? "fifo-groups-held" : "empty");
    }
    const fresh: ReceivedMessage[] = [];
    for (const message of batch) {
      this.#held.set(message.messageId, message.receiptHandle);
      if (this.#seen.has(message.messageId)) continue;
      this.#seen.add(message.messageId);
      fresh.push(message);
    }
    if (fresh.length === 0) return this.#end("no-new-messages");
    return fresh;
  }

  /** Deletes held messages for good. */
  async delete(messages: readonly ReceivedMessage[]): Promise<void> {
    if (messages.length === 0) return;
    await this.#driver.delete(
      this.#queue,
      messages.map((m) => this.#held.get(m.messageId) ?? m.receiptHandle),
    );
    for (const message of messages) this.#held.delete(message.messageId);
  }

  /** Makes every message still held visible again at once; resolves with how many failed. */
  async release(): Promise<number> {
    const handles = [...this.#held.values()];
    this.#held.clear();
    let failed = 0;
    for (let i = 0; i < handles.length; i += 10) {
      const results = await Promise.allSettled(
        handles
          .slice(i, i + 10)
          .map((handle) => this.#driver.changeVisibility(this.#queue, handle, 0)),
      );
      failed += results.filter((r) => r.status === "rejected").length;
    }
    return failed;
  }

  #end(reason: NonNullable<ReceiveWindow["endReason"]>): ReceivedMessage[] {
    this.#ended = true;
    this.endReason = reason;
    return [];
  }
}
