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
    expect(typeof r.met).toBe("boolean");
  }
  expect(formatTable([result])).toContain(name);
}

describe("benchmarks (smoke sizes)", () => {
  it("fan-out enqueue sends jobs / 10 requests against one per job", async () => {
    const result = await fanOutEnqueue({ jobs: 200, runs: 1, warmupRequests: 20 });
    expectWellFormed(result, "fan-out-enqueue", ["requests", "wall time (ms)"]);
    const [requests] = result.rows;
    expect(requests?.ours).toBe(20);
    expect(requests?.peer).toBe(200);
    expect(requests?.met).toBe(true);
  });

  it("worker overhead runs every record on both sides", async () => {
    const result = await workerOverhead({ records: 1_000, runs: 1, warmupRecords: 100 });
    expectWellFormed(result, "worker-overhead", ["per-record time (µs)", "records/s"]);
    expect(result.details.records).toBe(1_000);
  });

  it("cold start bundles and starts both workers", async () => {
    const result = await coldStart({ runs: 1, fromSource: true });
    expectWellFormed(result, "cold-start", [
      "bundle (KB, minified)",
      "import + init, whole process (ms)",
      "import + init, in process (ms)",
    ]);
    const [bundle] = result.rows;
    expect(bundle?.ours).toBeGreaterThan(1);
    expect(bundle?.peer).toBeGreaterThan(1);
  });

  it("end to end consumes every job through both consumers", async () => {
    const result = await endToEnd({ jobs: 200, runs: 1, warmupJobs: 20, concurrency: 2 });
    expectWellFormed(result, "end-to-end", ["jobs/s"]);
    const [ours] = result.details.ours as { requests: Record<string, number> }[];
    const [peer] = result.details.peer as { requests: Record<string, number> }[];
    expect(ours?.requests.DeleteMessageBatch).toBe(20);
    expect(peer?.requests.DeleteMessageBatch).toBe(20);
  });

  it("memory samples both sides before and after the jobs", async () => {
    const result = await memory({ jobs: 1_000, warmupJobs: 100, fromSource: true });
    expectWellFormed(result, "memory", ["heap growth (MB)", "RSS growth (MB)"]);
    const ours = result.details.ours as { samples: unknown[] };
    expect(ours.samples.length).toBeGreaterThan(1);
  });
});
