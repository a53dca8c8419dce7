import type {
  OutgoingMessage,
  QueueDriver,
  QueueInfo,
  QueueStats,
  ReceivedMessage,
  SendResult,
} from "@glasswork/core";

/**
 * A driver for handler-only benchmarks: no-op jobs succeed, and a succeeding record needs no
 * transport call. Any call but `queueInfo` (read once per cold start) is counted, so a benchmark
 * can prove it measured no I/O.
 */
export class NoIoDriver implements QueueDriver {
  readonly maxDelaySeconds = 900;
  readonly maxMessageBytes = 262_144;
  /** Transport calls a succeeding record should never make. */
  unexpectedCalls = 0;

  async send(messages: readonly OutgoingMessage[]): Promise<SendResult[]> {
    this.unexpectedCalls++;
    return messages.map(() => ({ ok: false, error: new Error("no I/O here"), retryable: false }));
  }
  async receive(): Promise<ReceivedMessage[]> {
    this.unexpectedCalls++;
    return [];
  }
  async delete(): Promise<void> {
    this.unexpectedCalls++;
  }
  async changeVisibility(): Promise<void> {
    this.unexpectedCalls++;
  }
  async moveToDeadLetter(): Promise<void> {
    this.unexpectedCalls++;
  }
  async queueInfo(): Promise<QueueInfo> {
    return { fifo: false, deadLetterQueue: undefined, maxReceiveCount: undefined };
  }
  async stats(): Promise<QueueStats> {
    return { visible: 0, inFlight: 0, delayed: 0 };
  }
  async dispose(): Promise<void> {}
}
