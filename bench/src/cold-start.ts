import { spawnSync } from "node:child_process";
import { mkdirSync, readFileSync, writeFileSync } from "node:fs";
import { fileURLToPath } from "node:url";
import { gzipSync } from "node:zlib";
import { build, type Metafile, version } from "esbuild";
import { type BenchResult, row, runIfMain } from "./internal/result.js";
import { median } from "./internal/stats.js";

/** Options of {@link coldStart}. */
export interface ColdStartOptions {
  /** Process starts per entry, interleaved; the median is reported. Default 30. */
  readonly runs?: number;
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
const ENTRIES = ["glasswork-worker", "powertools-worker", "sdk-only"] as const;
type Entry = (typeof ENTRIES)[number];
type Samples = Record<Entry | "empty", number[]>;

// Inside bench/ so that the external AWS SDK resolves from bench/node_modules at run time.
const OUT_DIR = fileURLToPath(new URL("../dist/cold-start/", import.meta.url));
const LAUNCHER = `${OUT_DIR}launcher.mjs`;
const LAUNCHER_SOURCE = `import { pathToFileURL } from "node:url";
const start = performance.now();
await import(pathToFileURL(process.argv[2]).href);
process.stdout.write(String(performance.now() - start));
`;

/**
 * Cold start: each worker entry bundled with esbuild (minified, AWS SDK external), then started
 * in a fresh `node` through a launcher that imports it (import and initialise, then exit). The
 * whole-process time has `node` with an empty module subtracted; the launcher also reports the
 * import alone, timed inside the process, which the start-up noise of the machine cannot hide.
 * Ours against the same minimal worker on Powertools; an SQS-client-only bundle is the floor.
 */
export async function coldStart(options: ColdStartOptions = {}): Promise<BenchResult> {
  const { runs = 30, fromSource = false } = options;
  mkdirSync(OUT_DIR, { recursive: true });
  writeFileSync(`${OUT_DIR}empty.mjs`, "export {};\n");
  writeFileSync(LAUNCHER, LAUNCHER_SOURCE);
  const bundles = {} as Record<Entry, BundleFigures>;
  for (const entry of ENTRIES) bundles[entry] = await bundle(entry, fromSource);

  const names = ["empty", ...ENTRIES] as const;
  const wall = Object.fromEntries(names.map((n) => [n, [] as number[]])) as Samples;
  const imports = Object.fromEntries(names.map((n) => [n, [] as number[]])) as Samples;
  // One unmeasured round warms the file system cache; then rounds interleave every entry.
  for (let round = -1; round < runs; round++) {
    for (const name of names) {
      const start = startProcess(`${OUT_DIR}${name}.mjs`);
      if (round < 0) continue;
      wall[name].push(start.wallMs);
      imports[name].push(start.importMs);
    }
  }
  const nodeMs = median(wall.empty);
  const processMs = (entry: Entry) => median(wall[entry]) - nodeMs;
  // The first dynamic import of a process pays for loader set-up, whatever the module.
  const importMs = (entry: Entry) => median(imports[entry]) - median(imports.empty);
  const ours = bundles["glasswork-worker"];
  const peer = bundles["powertools-worker"];
  const withinMs = (o: number) => o <= TARGET_MS;
  return {
    name: "cold-start",
    peer: "the same worker on @aws-lambda-powertools/batch",
    notes: [
      `esbuild ${version}, minified ESM for node24, @aws-sdk/* external (the Lambda runtime ships it); ${fromSource ? "from TypeScript source (smoke)" : "from the built dist"}. KB = 1,000 bytes; gzipped: ours ${(ours.gzipBytes / 1000).toFixed(1)} KB, peer ${(peer.gzipBytes / 1000).toFixed(1)} KB.`,
      `Medians of ${runs} interleaved starts of each bundle. Whole process: \`node launcher.mjs bundle.mjs\` minus the same with an empty module (${nodeMs.toFixed(0)} ms); in process: \`await import(bundle)\` timed by the launcher, minus the same for the empty module (${median(imports.empty).toFixed(1)} ms). A peer near 0 ms has no meaningful ratio.`,
      `Floor for any worker that loads the SQS client: importing @aws-sdk/client-sqs and constructing an SQSClient alone takes ${processMs("sdk-only").toFixed(0)} ms whole-process, ${importMs("sdk-only").toFixed(0)} ms in process; the Powertools worker never loads it.`,
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
        "import + init, whole process (ms)",
        processMs("glasswork-worker"),
        processMs("powertools-worker"),
        `≤ ${TARGET_MS} ms`,
        withinMs,
      ),
      row(
        "import + init, in process (ms)",
        importMs("glasswork-worker"),
        importMs("powertools-worker"),
        `≤ ${TARGET_MS} ms`,
        withinMs,
      ),
    ],
    details: { runs, fromSource, nodeStartMs: nodeMs, bundles, wallMs: wall, importMs: imports },
  };
}

async function bundle(entry: Entry, fromSource: boolean): Promise<BundleFigures> {
  const outfile = `${OUT_DIR}${entry}.mjs`;
  const result = await build({
    entryPoints: [fileURLToPath(new URL(`./cold-start/${entry}.ts`, import.meta.url))],
    outfile,
    bundle: true,
    minify: true,
    format: "esm",
    platform: "node",
    target: "node24",
    // The Lambda Node.js runtime ships the AWS SDK v3.
    external: ["@aws-sdk/*"],
    conditions: fromSource ? ["@glasswork/source"] : [],
    metafile: true,
    logLevel: "error",
  });
  return figures(result.metafile, readFileSync(outfile));
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

function startProcess(file: string): { wallMs: number; importMs: number } {
  const start = performance.now();
  const child = spawnSync(process.execPath, [LAUNCHER, file], {
    stdio: ["ignore", "pipe", "pipe"],
    env: CHILD_ENV,
  });
  const wallMs = performance.now() - start;
  if (child.status !== 0) throw new Error(`node ${file} failed: ${child.stderr.toString()}`);
  return { wallMs, importMs: Number(child.stdout.toString()) };
}

runIfMain(import.meta.url, () => coldStart());
