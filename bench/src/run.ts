// `pnpm bench [name…] [--no-build] [--json]`: builds the packages, runs each benchmark in its own
// process, and prints one table.
import { spawn, spawnSync } from "node:child_process";
import { cpus, release } from "node:os";
import { fileURLToPath } from "node:url";
import { type BenchResult, RESULT_MARKER } from "./internal/result.js";
import { TSX_IMPORT } from "./internal/spawn-ts.js";
import { formatNotes, formatTable } from "./internal/table.js";

/** Every benchmark, in the order they run: their file names in `src/`. */
export const BENCHMARKS = [
  "fan-out-enqueue",
  "worker-overhead",
  "cold-start",
  "end-to-end",
  "memory",
] as const;

const WORKSPACE_ROOT = fileURLToPath(new URL("../../", import.meta.url));

// The SDK's notice that it will need Node 22 in 2027 would be printed once per process.
const CHILD_ENV = { ...process.env, AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED: "true" };

async function main(): Promise<number> {
  const args = process.argv.slice(2);
  const flags = new Set(args.filter((a) => a.startsWith("--")));
  const names = args.filter((a) => !a.startsWith("--"));
  const unknown = names.filter((n) => !BENCHMARKS.some((b) => b.startsWith(n)));
  if (unknown.length > 0) {
    console.error(`unknown benchmark ${unknown.join(", ")}; choose from ${BENCHMARKS.join(", ")}`);
    return 2;
  }
  const selected = BENCHMARKS.filter(
    (b) => names.length === 0 || names.some((n) => b.startsWith(n)),
  );
  if (!flags.has("--no-build")) build();

  const results: BenchResult[] = [];
  let failed = 0;
  for (const name of selected) {
    const start = performance.now();
    console.error(`▶ ${name}`);
    try {
      results.push(await runChild(name));
      console.error(`  done in ${((performance.now() - start) / 1000).toFixed(1)} s`);
    } catch (error) {
      failed++;
      console.error(`  ${name} failed:`, error);
    }
  }
  console.log(`\n${machine()}\n\n${formatTable(results)}\n\n${formatNotes(results)}`);
  if (flags.has("--json")) console.log(`\n${JSON.stringify(results, null, 2)}`);
  return failed > 0 ? 1 : 0;
}

// Measure the real thing: the packages' built `dist`, fresh (turbo skips what is up to date).
function build(): void {
  console.error("▶ building the packages (turbo run build)");
  const turbo = spawnSync(
    "pnpm",
    ["exec", "turbo", "run", "build", "--filter=@glasswork/bench^...", "--output-logs=errors-only"],
    { cwd: WORKSPACE_ROOT, stdio: ["ignore", "inherit", "inherit"], env: process.env },
  );
  if (turbo.status !== 0) throw new Error("the build failed");
}

function runChild(name: string): Promise<BenchResult> {
  const file = fileURLToPath(new URL(`./${name}.ts`, import.meta.url));
  const child = spawn(process.execPath, [...TSX_IMPORT, file], {
    env: CHILD_ENV,
    stdio: ["ignore", "pipe", "inherit"],
  });
  let result: BenchResult | undefined;
  let buffered = "";
  child.stdout.setEncoding("utf8");
  child.stdout.on("data", (chunk: string) => {
    buffered += chunk;
    const lines = buffered.split("\n");
    buffered = lines.pop() ?? "";
    for (const line of lines) {
      if (line.startsWith(RESULT_MARKER)) result = JSON.parse(line.slice(RESULT_MARKER.length));
      else console.error(`  ${line}`);
    }
  });
  return new Promise((resolve, reject) => {
    child.once("error", reject);
    child.once("close", (code) => {
      if (code === 0 && result) resolve(result);
      else reject(new Error(`exited with code ${code}${result ? "" : ", without a result"}`));
    });
  });
}

function machine(): string {
  const cpu = cpus();
  const date = new Date().toISOString().slice(0, 16).replace("T", " ");
  return `Glasswork Jobs benchmarks — ${date} UTC, Node ${process.version}, ${cpu[0]?.model ?? "unknown CPU"} × ${cpu.length}, Linux ${release()}`;
}

main().then(
  (code) => {
    process.exitCode = code;
  },
  (error: unknown) => {
    console.error(error);
    process.exitCode = 1;
  },
);
