#!/usr/bin/env node
// Placeholder until the benchmark package lands: `pnpm bench` must exist and exit 0.
console.log("no benchmarks yet");
