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
    testTimeout: 30_000,
    hookTimeout: 30_000,
  },
});
