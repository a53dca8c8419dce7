// Test-only helpers (excluded from the build and the package): run `glasswork` as a subprocess,
// from its TypeScript source, the way a user's shell would.
import { type ChildProcess, execFile, spawn } from "node:child_process";
import { existsSync, mkdtempSync, readdirSync, readFileSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { dirname, join } from "node:path";
import { fileURLToPath, pathToFileURL } from "node:url";

const packageRoot = dirname(dirname(fileURLToPath(import.meta.url)));
const repoRoot = dirname(dirname(packageRoot));

/** The source of the test jobs module, for configs to import (`.js`, as users write). */
export const TEST_JOBS_MODULE = join(packageRoot, "src", "test-jobs.js");

// The bin from source: jiti's hooks compile TypeScript. Modules they compile resolve imports
// through jiti, which knows no "@glasswork/source" condition: JITI_ALIAS points every sibling
// package (and the configs' imports) at its source, so no stale dist/ is ever run.
const nodeArgs = [
  "--conditions=@glasswork/source",
  "--import",
  pathToFileURL(join(packageRoot, "node_modules", "jiti", "lib", "jiti-register.mjs")).href,
  join(packageRoot, "src", "bin.ts"),
];

// Every export of every sibling package ("." and subpaths such as "@glasswork/core/internal"),
// read from its "@glasswork/source" condition.
const sourceAliases = Object.fromEntries(
  readdirSync(join(repoRoot, "packages")).flatMap((name) => {
    const manifest = join(repoRoot, "packages", name, "package.json");
    if (!existsSync(manifest)) return [];
    const { exports = {} } = JSON.parse(readFileSync(manifest, "utf8")) as {
      exports?: Record<string, { "@glasswork/source"?: string }>;
    };
    return Object.entries(exports).flatMap(([subpath, conditions]) => {
      const source = conditions["@glasswork/source"];
      if (!source) return [];
      const specifier = `@glasswork/${name}${subpath === "." ? "" : subpath.slice(1)}`;
      return [[specifier, join(repoRoot, "packages", name, source)]];
    });
  }),
);

/** What a `glasswork` run printed and how it ended. */
export interface CliRun {
  readonly code: number | null;
  readonly stdout: string;
  readonly stderr: string;
}

/** Options of {@link runGlasswork}. */
export interface RunOptions {
  readonly cwd?: string;
  readonly env?: Readonly<Record<string, string>>;
}

/** The environment of a run: dummy credentials, a region, no profile of the machine's. */
export function cliEnv(extra: Readonly<Record<string, string>> = {}): NodeJS.ProcessEnv {
  const env: NodeJS.ProcessEnv = { ...process.env };
  for (const name of Object.keys(env)) if (name.startsWith("AWS_")) delete env[name];
  return {
    ...env,
    AWS_ACCESS_KEY_ID: "test",
    AWS_SECRET_ACCESS_KEY: "test",
    AWS_REGION: "us-east-1",
    AWS_EC2_METADATA_DISABLED: "true",
    JITI_ALIAS: JSON.stringify(sourceAliases),
    ...extra,
  };
}

/** Runs `glasswork …args` to its end, without a terminal. */
export function runGlasswork(args: readonly string[], options: RunOptions = {}): Promise<CliRun> {
  return new Promise((resolve) => {
    const child = execFile(
      process.execPath,
      [...nodeArgs, ...args],
      { cwd: options.cwd ?? packageRoot, env: cliEnv(options.env), encoding: "utf8" },
      (error, stdout, stderr) => {
        const code = error ? (typeof error.code === "number" ? error.code : null) : 0;
        resolve({ code, stdout, stderr });
      },
    );
    child.stdin?.end();
  });
}

/** Starts `glasswork …args` and leaves it running (for `work`). */
export function spawnGlasswork(args: readonly string[], options: RunOptions = {}): ChildProcess {
  return spawn(process.execPath, [...nodeArgs, ...args], {
    cwd: options.cwd ?? packageRoot,
    env: cliEnv(options.env),
    stdio: ["ignore", "pipe", "pipe"],
  });
}

/**
 * Runs `glasswork …args` on a pseudo-terminal (util-linux `script`), with `input` typed on it.
 * With `stdoutFile`, stdout goes there and the terminal shows stderr alone.
 */
export function runGlassworkOnTty(
  args: readonly string[],
  options: RunOptions & { readonly input?: string; readonly stdoutFile?: string } = {},
): Promise<{ readonly code: number | null; readonly terminal: string }> {
  const quote = (s: string) => `'${s.replaceAll("'", "'\\''")}'`;
  const redirect = options.stdoutFile ? ` > ${quote(options.stdoutFile)}` : "";
  const command = `${[process.execPath, ...nodeArgs, ...args].map(quote).join(" ")}${redirect}`;
  return new Promise((resolve) => {
    const child = spawn("script", ["-qfec", command, "/dev/null"], {
      cwd: options.cwd ?? packageRoot,
      env: cliEnv(options.env),
    });
    let terminal = "";
    child.stdout.on("data", (chunk: Buffer) => {
      terminal += chunk.toString("utf8");
    });
    child.stdin.end(options.input ?? "");
    child.on("close", (code) => resolve({ code, terminal }));
  });
}

/** Writes `source` as `glasswork.config.ts` in a new temporary folder; returns the folder. */
export function writeConfig(source: string): string {
  const dir = mkdtempSync(join(tmpdir(), "glasswork-cli-"));
  writeFileSync(join(dir, "glasswork.config.ts"), source);
  return dir;
}

/** A `glasswork.config.ts` importing the test jobs, with these queues and extra fields. */
export function configSource(queues: Readonly<Record<string, string>>, extra = ""): string {
  return `import { defineConfig } from "@glasswork/cli";
import { alwaysFails, nightlyReport, recordRun, sendEmail } from ${JSON.stringify(TEST_JOBS_MODULE)};

export default defineConfig({
  queues: ${JSON.stringify(queues)},
  jobs: [sendEmail, recordRun, alwaysFails, nightlyReport],
  ${extra}
});
`;
}

/**
 * Writes a config (see {@link configSource}) whose SQS client talks to the server at `endpoint`
 * (a fauxqs test server's); returns its folder.
 */
export function writeEndpointConfig(
  endpoint: string,
  queues: Readonly<Record<string, string>>,
  extra = "",
): string {
  return writeConfig(configSource(queues, `endpoint: ${JSON.stringify(endpoint)}, ${extra}`));
}
