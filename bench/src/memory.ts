import type { MemoryProbeResult } from "./internal/memory-probe.js";
import { type BenchResult, row, runIfMain } from "./internal/result.js";
import { forkTs } from "./internal/spawn-ts.js";

/** Sizes of {@link memory}. */
export interface MemoryOptions {
  /** Jobs through the handler after the warm-up. Default 100,000. */
  readonly jobs?: number;
  /** Jobs of the unmeasured warm-up. Default: as many as `jobs`. */
  readonly warmupJobs?: number;
  /** Run the packages' TypeScript source instead of their built `dist` (smoke test only). */
  readonly fromSource?: boolean;
}

const LIMIT_MB = 10;
// V8 doubles its young generation (8 → 16 → 32 MB here) whenever the allocation rate pushes it,
// at an unpredictable point of the run and on either side: pinned at a fixed 16 MB,
// it cannot pass for a leak, and RSS growth is what the handler keeps.
const PINNED_YOUNG_GENERATION = ["--min-semi-space-size=16", "--max-semi-space-size=16"];

/**
 * Memory: RSS and heap, after a full GC, before and after `jobs` no-op jobs (fresh 10-record
 * events) through `bootstrapWorker`'s handler, and through the Powertools peer, each in its own
 * process and after an equal warm-up. Growth beyond 10 MB would be a leak.
 */
export async function memory(options: MemoryOptions = {}): Promise<BenchResult> {
  const { jobs = 100_000, warmupJobs = jobs, fromSource = false } = options;
  const nodeArgs = [
    "--expose-gc",
    ...PINNED_YOUNG_GENERATION,
    ...(fromSource ? ["--conditions=@glasswork/source"] : []),
  ];
  const sizes = [String(jobs), String(warmupJobs)];
  const ours = await probe("ours", sizes, nodeArgs);
  const peer = await probe("peer", sizes, nodeArgs);
  const poller = await probe("poller", sizes, nodeArgs);
  const growth = (result: MemoryProbeResult, key: "rss" | "heapUsed") => {
    const first = result.samples[0];
    const last = result.samples.at(-1);
    if (!first || !last) throw new Error("the memory probe took no samples");
    return last[key] - first[key];
  };
  const within = (o: number) => o <= LIMIT_MB;
  return {
    name: "memory",
    peer: "@aws-lambda-powertools/batch processPartialResponse",
    notes: [
      `${jobs.toLocaleString("en-US")} jobs in fresh 10-record events after a ${warmupJobs.toLocaleString("en-US")}-job warm-up, each side in its own process; figures after two full GCs.`,
      `poller + driver: startPoller + bootstrapWorker on SQSQueueDriver, ${(warmupJobs + jobs).toLocaleString("en-US")} jobs pre-enqueued on fauxqs (its own process), batch size 10, 4 batches in flight; sampled while the poller runs, labelled with the jobs deleted by then.`,
      "V8's young generation is pinned at 2 × 16 MB semi-spaces (a fixed 16 MB) so that its growth cannot pass for a leak; sub-MB differences are noise, so the ratio means little here.",
    ],
    rows: [
      row(
        "heap growth (MB)",
        growth(ours, "heapUsed"),
        growth(peer, "heapUsed"),
        `≤ ${LIMIT_MB} MB`,
        within,
      ),
      row("RSS growth (MB)", growth(ours, "rss"), growth(peer, "rss"), `≤ ${LIMIT_MB} MB`, within),
      row(
        "poller + driver: heap growth (MB)",
        growth(poller, "heapUsed"),
        null,
        `≤ ${LIMIT_MB} MB`,
        within,
      ),
      row(
        "poller + driver: RSS growth (MB)",
        growth(poller, "rss"),
        null,
        `≤ ${LIMIT_MB} MB`,
        within,
      ),
    ],
    details: { jobs, warmupJobs, ours, peer, poller },
  };
}

function probe(
  side: MemoryProbeResult["side"],
  args: readonly string[],
  nodeArgs: readonly string[],
): Promise<MemoryProbeResult> {
  const options = { nodeArgs, stdout: "inherit" } as const;
  const child =
    side === "poller"
      ? forkTs(new URL("./internal/memory-probe-poller.ts", import.meta.url), args, options)
      : forkTs(new URL("./internal/memory-probe.ts", import.meta.url), [side, ...args], options);
  return new Promise((resolve, reject) => {
    let result: MemoryProbeResult | undefined;
    child.once("message", (message: MemoryProbeResult) => {
      result = message;
    });
    child.once("error", reject);
    child.once("exit", (code) => {
      if (result && code === 0) resolve(result);
      else reject(new Error(`the ${side} memory probe exited with code ${code}`));
    });
  });
}

runIfMain(import.meta.url, () => memory());
