#!/usr/bin/env node
// `pnpm bench [name…] [--no-build] [--json]` runs the benchmark suite of bench/ (see its README):
// it builds the packages, runs each benchmark in its own process and prints one table.
import { spawnSync } from "node:child_process";

const pnpm = spawnSync(
  "pnpm",
  ["--filter", "@glasswork/bench", "run", "bench", ...process.argv.slice(2)],
  { stdio: "inherit" },
);
process.exit(pnpm.status ?? 1);
