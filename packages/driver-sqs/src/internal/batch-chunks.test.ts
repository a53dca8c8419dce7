import { describe, expect, it } from "vitest";
import { chunkBatches } from "./batch-chunks.js";

const limits = { maxEntries: 10, maxBytes: 100 };
const sizes = (chunks: number[][]) => chunks.map((chunk) => chunk.length);

describe("chunkBatches", () => {
  it("fills chunks up to maxEntries, in order", () => {
    const items = Array.from({ length: 25 }, (_, i) => i);
    const chunks = chunkBatches(items, () => 1, limits);
    expect(sizes(chunks)).toEqual([10, 10, 5]);
    expect(chunks.flat()).toEqual(items);
  });

  it("starts a new chunk before the bytes would pass maxBytes", () => {
    expect(sizes(chunkBatches([40, 40, 40, 20, 60, 1], (n) => n, limits))).toEqual([2, 2, 2]);
    expect(sizes(chunkBatches([50, 50, 50], (n) => n, limits))).toEqual([2, 1]);
  });

  it("gives an item larger than maxBytes a chunk of its own", () => {
    expect(chunkBatches([10, 500, 10], (n) => n, limits)).toEqual([[10], [500], [10]]);
  });

  it("makes exactly n/10 chunks of small items", () => {
    expect(
      chunkBatches(new Array(10_000).fill(5), (n) => n, { maxEntries: 10, maxBytes: 262_144 }),
    ).toHaveLength(1_000);
  });

  it("makes no chunk of nothing", () => {
    expect(chunkBatches([], () => 1, limits)).toEqual([]);
  });
});
