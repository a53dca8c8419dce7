/**
 * Runs one dead-letter operation per queue at a time in this process. A listing hides every
 * message it walks until it ends, so a listing running beside a redrive (two tabs, a refresh)
 * would make each see part of the queue.
 */
export class QueueLock {
  readonly #tails = new Map<string, Promise<unknown>>();

  /** True while an operation on `queue` runs or waits. */
  busy(queue: string): boolean {
    return this.#tails.has(queue);
  }

  run<T>(queue: string, operation: () => Promise<T>): Promise<T> {
    const previous = this.#tails.get(queue) ?? Promise.resolve();
    const result = previous.then(operation, operation);
    const tail = result.then(
      () => undefined,
      () => undefined,
    );
    this.#tails.set(queue, tail);
    void tail.then(() => {
      if (this.#tails.get(queue) === tail) this.#tails.delete(queue);
    });
    return result;
  }
}
