// Smoke run of every benchmark with tiny sizes: they run and report well-formed results. No
// timing is asserted: timings belong to `pnpm bench`, on a quiet machine.
import { describe, expect, it } from "vitest";
import { coldStart } from "./cold-start.js";
import { endToEnd } from "./end-to-end.js";
import { fanOutEnqueue } from "./fan-out-enqueue.js";
import type { BenchResult } from "./internal/result.js";
import { formatTable } from "./internal/table.js";
import { memory } from "./memory.js";
import { workerOverhead } from "./worker-overhead.js";

function expectWellFormed(result: BenchResult, name: string, metrics: string[]) {
  expect(result.name).toBe(name);
  expect(result.rows.map((r) => r.metric)).toEqual(metrics);
  for (const r of result.rows) {
    expect(Number.isFinite(r.ours)).toBe(true);
    expect(r.peer === null || Number.isFinite(r.peer)).toBe(true);
    expect(r.met === null || typeof r.met === "boolean").toBe(true);
    for (const samples of [r.oursSpread, r.peerSpread, r.ratioSpread]) {
      if (samples === undefined) continue;
      expect(samples.min).toBeLessThanOrEqual(samples.median);
      expect(samples.median).toBeLessThanOrEqual(samples.max);
    }
  }
  expect(formatTable([result])).toContain(name);
}

// The metrics whose rows carry round-by-round ratios: the ones sampled side by side per round.
function expectRoundRatios(result: BenchResult, metrics: string[]) {
  expect(result.rows.filter((r) => r.ratioSpread !== undefined).map((r) => r.metric)).toEqual(
    metrics,
  );
}

describe("benchmarks (smoke sizes)", () => {
  it("fan-out enqueue sends jobs / 10 requests against one per job", async () => {
    const result = await fanOutEnqueue({ jobs: 200, rounds: 2, warmupRequests: 20 });
    expectWellFormed(result, "fan-out-enqueue", ["requests", "wall time (ms)", "client CPU (ms)"]);
    const [requests] = result.rows;
    expect(requests?.ours).toBe(20);
    expect(requests?.peer).toBe(200);
    expect(requests?.met).toBe(true);
    expectRoundRatios(result, ["wall time (ms)", "client CPU (ms)"]);
  });

  it("worker overhead runs every record on both sides, sync and async", async () => {
    const result = await workerOverhead({ records: 1_000, rounds: 2, warmupRecords: 100 });
    expectWellFormed(
      result,
      "worker-overhead",
      ["sync", "async"].flatMap((shape) => [
        `${shape}: CPU per record (µs)`,
        `${shape}: wall per record (µs)`,
        `${shape}: records/s (wall)`,
      ]),
    );
    expect(result.details.records).toBe(1_000);
    expectRoundRatios(
      result,
      ["sync", "async"].flatMap((shape) => [
        `${shape}: CPU per record (µs)`,
        `${shape}: wall per record (µs)`,
      ]),
    );
    const variants = result.details.variants as { ours: unknown[]; peer: unknown[] }[];
    for (const variant of variants) {
      expect(variant.ours).toHaveLength(2);
      expect(variant.peer).toHaveLength(2);
    }
  });

  it("cold start bundles and starts both workers", async () => {
    const result = await coldStart({ rounds: 1, fromSource: true });
    expectWellFormed(result, "cold-start", [
      "bundle (KB, minified)",
      "import + init, in process (ms)",
      "import + init, CPU (ms)",
      "floor: SDK client only, in process (ms)",
      "floor: ours, no SDK, in process (ms)",
    ]);
    const [bundle] = result.rows;
    expect(bundle?.ours).toBeGreaterThan(1);
    expect(bundle?.peer).toBeGreaterThan(1);
  });

  it("end to end consumes every job through both consumers", async () => {
    const result = await endToEnd({ jobs: 200, rounds: 1, warmupJobs: 20, concurrency: 2 });
    expectWellFormed(result, "end-to-end", [
      "jobs/s",
      "client CPU per job (µs)",
      "requests per job",
      "sockets",
    ]);
    expectRoundRatios(result, ["jobs/s", "client CPU per job (µs)"]);
    type Run = { requests: Record<string, number>; sockets: number };
    const [ours] = result.details.ours as Run[];
    const [peer] = result.details.peer as Run[];
    expect(ours?.requests.DeleteMessageBatch).toBe(20);
    expect(peer?.requests.DeleteMessageBatch).toBe(20);
    expect(ours?.sockets).toBeGreaterThan(0);
    expect(peer?.sockets).toBeGreaterThan(0);
  });

  it("memory samples both sides before and after the jobs", async () => {
    const result = await memory({ jobs: 1_000, warmupJobs: 100, fromSource: true });
    expectWellFormed(result, "memory", [
      "heap growth (MB)",
      "RSS growth (MB)",
      "poller + driver: heap growth (MB)",
      "poller + driver: RSS growth (MB)",
    ]);
    for (const side of ["ours", "poller"]) {
      const probe = result.details[side] as { samples: unknown[] };
      expect(probe.samples.length).toBeGreaterThan(1);
    }
  });
});
