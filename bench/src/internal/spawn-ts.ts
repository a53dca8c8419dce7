import { type ChildProcess, fork } from "node:child_process";
import { createRequire } from "node:module";
import { pathToFileURL } from "node:url";

const require = createRequire(import.meta.url);

/** The tsx loader, as a `--import` argument: children run TypeScript whoever started us. */
export const TSX_IMPORT = ["--import", pathToFileURL(require.resolve("tsx")).href];

/** Options of {@link forkTs}. */
export interface ForkTsOptions {
  /** Extra Node flags, e.g. `--expose-gc`. */
  readonly nodeArgs?: readonly string[];
  /** Where the child's stdout goes: `"pipe"` to read it, `"inherit"` to show it. */
  readonly stdout?: "pipe" | "inherit";
}

/** Forks a TypeScript file in a fresh Node process with an IPC channel, through tsx. */
export function forkTs(
  file: string | URL,
  args: readonly string[] = [],
  options: ForkTsOptions = {},
): ChildProcess {
  return fork(file, [...args], {
    execArgv: [...TSX_IMPORT, ...(options.nodeArgs ?? [])],
    stdio: ["ignore", options.stdout ?? "pipe", "inherit", "ipc"],
  });
}
