import { type ChildProcess, spawn } from "node:child_process";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";

/** What a poller process reports over IPC. */
export interface PollerProcessMessage {
  readonly type: "ready" | "memory" | "stopped";
  readonly pid: number;
  /** Handler runs in this process. */
  readonly runs: number;
  /** Effects this process wrote (not counting ignored duplicates). */
  readonly effects: number;
  /** After a forced GC. */
  readonly rss: number;
  readonly heapUsed: number;
}

/** A running `poller-process.ts`. */
export interface PollerProcess {
  readonly child: ChildProcess;
  readonly pid: number;
  readonly messages: PollerProcessMessage[];
  /** Resolves when the process has exited. */
  readonly exited: Promise<{ code: number | null; signal: NodeJS.Signals | null }>;
  /** The last 20,000 characters the process wrote to stderr, for failure messages. */
  stderr(): string;
}

const PACKAGE_DIR = join(dirname(fileURLToPath(import.meta.url)), "..", "..");
const ENTRY = join(PACKAGE_DIR, "src", "poller-process.ts");

/**
 * Starts the poller in a child process from the TypeScript sources (tsx with the
 * `@glasswork/source` condition, as the tests resolve packages), talking to the test's fauxqs.
 */
export function spawnPoller(env: Record<string, string>): PollerProcess {
  const { NODE_OPTIONS: _ignored, ...inherited } = process.env;
  const child = spawn(
    process.execPath,
    ["--import", "tsx", "--conditions=@glasswork/source", "--expose-gc", ENTRY],
    {
      cwd: PACKAGE_DIR,
      env: { ...inherited, ...env },
      stdio: ["ignore", "ignore", "pipe", "ipc"],
    },
  );
  let stderr = "";
  child.stderr?.setEncoding("utf8");
  child.stderr?.on("data", (chunk: string) => {
    stderr = (stderr + chunk).slice(-20_000);
  });
  const messages: PollerProcessMessage[] = [];
  child.on("message", (message) => messages.push(message as PollerProcessMessage));
  const exited = new Promise<{ code: number | null; signal: NodeJS.Signals | null }>((resolve) => {
    child.once("exit", (code, signal) => resolve({ code, signal }));
  });
  if (child.pid === undefined) throw new Error("could not start the poller process");
  return { child, pid: child.pid, messages, exited, stderr: () => stderr };
}
