/** A fixed-size buffer that keeps the newest `size` items, overwriting the oldest. */
export class RingBuffer<T> {
  readonly #items: (T | undefined)[];
  #next = 0;
  #count = 0;

  constructor(readonly size: number) {
    if (!Number.isInteger(size) || size < 1) {
      throw new RangeError(`the ring buffer's size must be a positive integer, got ${size}`);
    }
    this.#items = new Array<T | undefined>(size);
  }

  push(item: T): void {
    this.#items[this.#next] = item;
    this.#next = (this.#next + 1) % this.size;
    this.#count = Math.min(this.#count + 1, this.size);
  }

  /** The items kept, oldest first. */
  toArray(): T[] {
    const start = (this.#next - this.#count + this.size) % this.size;
    const out: T[] = [];
    for (let i = 0; i < this.#count; i++) out.push(this.#items[(start + i) % this.size] as T);
    return out;
  }
}
