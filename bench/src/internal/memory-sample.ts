import { getHeapSpaceStatistics } from "node:v8";

/** Memory after a full GC, in MB. */
export interface MemorySample {
  /** Jobs run since the measurement started (negative: during the warm-up). */
  readonly jobs: number;
  readonly rss: number;
  readonly heapUsed: number;
  /** V8's young generation as committed: it grows with the allocation rate, up to a cap. */
  readonly newSpace: number;
}

const MB = 1024 * 1024;

/** Memory after two full GCs (needs `--expose-gc`), labelled with the jobs run so far. */
export function sampleMemory(jobs: number): MemorySample {
  const gc = globalThis.gc;
  if (!gc) throw new Error("run with --expose-gc");
  gc();
  gc();
  const { rss, heapUsed } = process.memoryUsage();
  const newSpace = getHeapSpaceStatistics().find((s) => s.space_name === "new_space");
  return {
    jobs,
    rss: rss / MB,
    heapUsed: heapUsed / MB,
    newSpace: (newSpace?.space_size ?? 0) / MB,
  };
}
