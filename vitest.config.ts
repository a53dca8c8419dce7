import { availableParallelism } from "node:os";
import { defineConfig } from "vitest/config";

// Tests import sibling packages from their TypeScript source through the
// "@glasswork/source" export condition, so `pnpm test` never runs against a stale build.
export default defineConfig({
  ssr: {
    resolve: {
      conditions: ["@glasswork/source", "node", "import", "default"],
    },
  },
  resolve: {
    conditions: ["@glasswork/source", "node", "import", "default"],
  },
  test: {
    include: [
      "packages/*/src/**/*.test.ts",
      "apps/*/src/**/*.test.ts",
      "bench/src/**/*.test.ts",
      "reliability/src/**/*.test.ts",
      "snippets/src/**/*.test.ts",
    ],
    // The suite mostly waits (long polls, timers, child processes, fauxqs round trips): on the
    // 2-core machine it used 137 s of CPU in 376 s with Vitest's default of one worker per core
    // but one, and 133 s in 113 s with 4 (no test failed with 6, at 93 s). Never fewer than 4.
    maxWorkers: Math.max(4, availableParallelism()),
    testTimeout: 30_000,
    hookTimeout: 30_000,
  },
});
