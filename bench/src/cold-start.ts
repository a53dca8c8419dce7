import { spawnSync } from "node:child_process";
import { mkdirSync, readFileSync, writeFileSync } from "node:fs";
import { fileURLToPath } from "node:url";
import { gzipSync } from "node:zlib";
import { build, type Metafile, type Plugin, version } from "esbuild";
import { alternateOrder } from "./internal/alternate.js";
import { type BenchResult, row, runIfMain } from "./internal/result.js";
import { median, spread } from "./internal/stats.js";

/** Options of {@link coldStart}. */
export interface ColdStartOptions {
  /** Rounds of one process start per entry, the order alternating. Default 30. */
  readonly rounds?: number;
  /** Bundle the packages' TypeScript source instead of their built `dist` (smoke test only). */
  readonly fromSource?: boolean;
}

interface BundleFigures {
  readonly bytes: number;
  readonly gzipBytes: number;
  /** Bytes of the bundle by package, largest first. */
  readonly byPackage: Readonly<Record<string, number>>;
}

const TARGET_BYTES = 30_000;
const TARGET_MS = 30;
// `glasswork-worker-no-sdk` is our worker entry bundled with the SQS client stubbed out.
const ENTRIES = [
  "glasswork-worker",
  "powertools-worker",
  "sdk-only",
  "glasswork-worker-no-sdk",
] as const;
type Entry = (typeof ENTRIES)[number];
type Name = Entry | "empty";
type Samples = Record<Name, number[]>;

// Inside bench/ so that the external AWS SDK resolves from bench/node_modules at run time.
const OUT_DIR = fileURLToPath(new URL("../dist/cold-start/", import.meta.url));
const LAUNCHER = `${OUT_DIR}launcher.mjs`;
const LAUNCHER_SOURCE = `import { pathToFileURL } from "node:url";
const cpu = process.cpuUsage();
const start = performance.now();
await import(pathToFileURL(process.argv[2]).href);
const importMs = performance.now() - start;
const { user, system } = process.cpuUsage(cpu);
process.stdout.write(JSON.stringify({ importMs, cpuMs: (user + system) / 1000 }));
`;

/**
 * Cold start: each worker entry bundled with esbuild (minified, AWS SDK external), then started
 * in a fresh `node` through a launcher that imports it (import and initialise, then exit) and
 * times that import inside the process, by the clock and by CPU time, minus the same for an empty
 * module. Ours against the same minimal worker on Powertools, beside two floors: the SQS client
 * alone (import + construction) and our worker with the SDK stubbed out (no SDK).
 */
export async function coldStart(options: ColdStartOptions = {}): Promise<BenchResult> {
  const { rounds = 30, fromSource = false } = options;
  mkdirSync(OUT_DIR, { recursive: true });
  writeFileSync(`${OUT_DIR}empty.mjs`, "export {};\n");
  writeFileSync(LAUNCHER, LAUNCHER_SOURCE);
  const bundles = {} as Record<Entry, BundleFigures>;
  for (const entry of ENTRIES) bundles[entry] = await bundle(entry, fromSource);

  const names: readonly Name[] = ["empty", ...ENTRIES];
  const samples = () => Object.fromEntries(names.map((n) => [n, [] as number[]])) as Samples;
  const wall = samples();
  const imports = samples();
  const cpu = samples();
  // One unmeasured round warms the file system cache; then every round starts each entry once,
  // the order reversed every other round.
  for (let round = -1; round < rounds; round++) {
    for (const name of alternateOrder(names, Math.max(round, 0))) {
      const start = startProcess(`${OUT_DIR}${name}.mjs`);
      if (round < 0) continue;
      wall[name].push(start.wallMs);
      imports[name].push(start.importMs);
      cpu[name].push(start.cpuMs);
    }
  }
  // The first dynamic import of a process pays for loader set-up, whatever the module: each
  // sample has the median of the empty module's subtracted.
  const net = (of: Samples, entry: Entry) => {
    const base = median(of.empty);
    return spread(of[entry].map((ms) => ms - base));
  };
  const ours = bundles["glasswork-worker"];
  const peer = bundles["powertools-worker"];
  const withinMs = (o: number) => o <= TARGET_MS;
  return {
    name: "cold-start",
    peer: "the same worker on @aws-lambda-powertools/batch",
    notes: [
      `esbuild ${version}, minified ESM for node24, @aws-sdk/* external (the Lambda runtime ships it); ${fromSource ? "from TypeScript source (smoke)" : "from the built dist"}. KB = 1,000 bytes; gzipped: ours ${(ours.gzipBytes / 1000).toFixed(1)} KB, peer ${(peer.gzipBytes / 1000).toFixed(1)} KB.`,
      `${rounds} rounds of one fresh \`node launcher.mjs bundle.mjs\` per entry, the order reversed every other round; median (min–max). In process: \`await import(bundle)\` (module evaluation = import + construction of the handler and driver) timed by the launcher, by performance.now() and process.cpuUsage, minus the median of the same for an empty module (${median(imports.empty).toFixed(1)} ms wall, ${median(cpu.empty).toFixed(1)} ms CPU). Whole-process time minus an empty node (${median(wall.empty).toFixed(0)} ms) is below the noise and only kept in the details. A peer near 0 ms has no meaningful ratio.`,
      'Floors: "SDK client only" imports @aws-sdk/client-sqs and constructs an SQSClient, the floor of any worker that loads it at init (our driver imports it on its first request instead: this is what the first retry, relay or dead-letter move of a process pays); "no SDK" is our worker entry with @aws-sdk/client-sqs replaced by empty stubs, what our own code costs.',
      `Our bundle by package: ${Object.entries(ours.byPackage)
        .map(([name, bytes]) => `${name} ${(bytes / 1000).toFixed(1)} KB`)
        .join(", ")}.`,
    ],
    rows: [
      row(
        "bundle (KB, minified)",
        ours.bytes / 1000,
        peer.bytes / 1000,
        "≤ 30 KB",
        () => ours.bytes <= TARGET_BYTES,
      ),
      row(
        "import + init, in process (ms)",
        net(imports, "glasswork-worker"),
        net(imports, "powertools-worker"),
        `≤ ${TARGET_MS} ms`,
        withinMs,
      ),
      row(
        "import + init, CPU (ms)",
        net(cpu, "glasswork-worker"),
        net(cpu, "powertools-worker"),
        `≤ ${TARGET_MS} ms`,
        withinMs,
      ),
      row("floor: SDK client only, in process (ms)", net(imports, "sdk-only"), null, "floor"),
      row(
        "floor: ours, no SDK, in process (ms)",
        net(imports, "glasswork-worker-no-sdk"),
        null,
        "floor",
      ),
    ],
    details: { rounds, fromSource, bundles, wallMs: wall, importMs: imports, cpuMs: cpu },
  };
}

async function bundle(entry: Entry, fromSource: boolean): Promise<BundleFigures> {
  const outfile = `${OUT_DIR}${entry}.mjs`;
  const stubbed = entry === "glasswork-worker-no-sdk";
  const source = stubbed ? "glasswork-worker" : entry;
  const result = await build({
    entryPoints: [fileURLToPath(new URL(`./cold-start/${source}.ts`, import.meta.url))],
    outfile,
    bundle: true,
    minify: true,
    format: "esm",
    platform: "node",
    target: "node24",
    // The Lambda Node.js runtime ships the AWS SDK v3.
    external: ["@aws-sdk/*"],
    conditions: fromSource ? ["@glasswork/source"] : [],
    plugins: stubbed ? [await sdkStub()] : [],
    metafile: true,
    logLevel: "error",
  });
  return figures(result.metafile, readFileSync(outfile));
}

/**
 * Replaces `@aws-sdk/client-sqs` by a module of empty classes under the same export names, so
 * that the worker entry imports and constructs without loading the SDK.
 */
async function sdkStub(): Promise<Plugin> {
  const names = Object.keys(await import("@aws-sdk/client-sqs"));
  const contents = names
    .filter((name) => /^[A-Za-z_$][\w$]*$/.test(name) && name !== "default")
    .map((name) => `export class ${name} { constructor() {} }`)
    .join("\n");
  return {
    name: "sdk-stub",
    setup(on) {
      on.onResolve({ filter: /^@aws-sdk\/client-sqs$/ }, () => ({
        path: "sdk-stub",
        namespace: "sdk-stub",
      }));
      on.onLoad({ filter: /.*/, namespace: "sdk-stub" }, () => ({ contents, loader: "js" }));
    },
  };
}

function figures(metafile: Metafile, output: Buffer): BundleFigures {
  const [meta] = Object.values(metafile.outputs);
  if (!meta) throw new Error("esbuild wrote nothing");
  const byPackage: Record<string, number> = {};
  for (const [path, { bytesInOutput }] of Object.entries(meta.inputs)) {
    const name = packageOf(path);
    byPackage[name] = (byPackage[name] ?? 0) + bytesInOutput;
  }
  return {
    bytes: meta.bytes,
    gzipBytes: gzipSync(output).length,
    byPackage: Object.fromEntries(Object.entries(byPackage).sort((a, b) => b[1] - a[1])),
  };
}

// Workspace packages show up by folder, dependencies by their node_modules name.
function packageOf(path: string): string {
  const inModules = path.match(/node_modules\/((?:@[^/]+\/)?[^/]+)\/(?!.*node_modules\/)/);
  if (inModules?.[1]) return inModules[1];
  const workspace = path.match(/packages\/([^/]+)\//);
  if (workspace?.[1]) return `@glasswork/${workspace[1]}`;
  return "(entry)";
}

const CHILD_ENV = {
  ...process.env,
  // The SDK's one-off notice about Node 22 is no part of a cold start on a supported runtime.
  AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED: "true",
  // Read by our worker entry; never contacted.
  JOBS_QUEUE_URL: "https://sqs.us-east-1.amazonaws.com/000000000000/bench-jobs",
};

function startProcess(file: string): { wallMs: number; importMs: number; cpuMs: number } {
  const start = performance.now();
  const child = spawnSync(process.execPath, [LAUNCHER, file], {
    stdio: ["ignore", "pipe", "pipe"],
    env: CHILD_ENV,
  });
  const wallMs = performance.now() - start;
  if (child.status !== 0) throw new Error(`node ${file} failed: ${child.stderr.toString()}`);
  const { importMs, cpuMs } = JSON.parse(child.stdout.toString()) as {
    importMs: number;
    cpuMs: number;
  };
  return { wallMs, importMs, cpuMs };
}

runIfMain(import.meta.url, () => coldStart());
