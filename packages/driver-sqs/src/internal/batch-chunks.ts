/** The limits of one batch request. */
export interface BatchLimits {
  /** Most entries in one request (SQS: 10). */
  readonly maxEntries: number;
  /** Most bytes all entries may add up to (SQS: the message size limit). */
  readonly maxBytes: number;
}

/**
 * Splits items into consecutive chunks, keeping their order, so that each chunk has at most
 * `maxEntries` items whose sizes add up to at most `maxBytes`. Filling each chunk greedily gives
 * the fewest chunks an order-keeping split can have. An item larger than `maxBytes` on its own
 * still gets a chunk of its own: the caller decides what to do with it.
 *
 * @example
 * // given: messages, measureMessageBytes
 * chunkBatches(messages, (m) => measureMessageBytes(m.body, m.attributes), {
 *   maxEntries: 10,
 *   maxBytes: 262_144,
 * });
 */
export function chunkBatches<T>(
  items: readonly T[],
  sizeOf: (item: T) => number,
  limits: BatchLimits,
): T[][] {
  const chunks: T[][] = [];
  let current: T[] = [];
  let bytes = 0;
  for (const item of items) {
    const size = sizeOf(item);
    if (
      current.length > 0 &&
      (current.length >= limits.maxEntries || bytes + size > limits.maxBytes)
    ) {
      chunks.push(current);
      current = [];
      bytes = 0;
    }
    current.push(item);
    bytes += size;
  }
  if (current.length > 0) chunks.push(current);
  return chunks;
}
