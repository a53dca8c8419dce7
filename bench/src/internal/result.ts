import { pathToFileURL } from "node:url";

/** One compared figure of a benchmark: a row of the printed table. */
export interface ResultRow {
  /** What is measured, with its unit, e.g. `"wall time (ms)"`. */
  readonly metric: string;
  readonly ours: number;
  /** The peer's figure; `null` where the target is absolute. */
  readonly peer: number | null;
  /** `ours / peer`, or `null` without a peer. */
  readonly ratio: number | null;
  /** The target in words, e.g. `"≤ 0.25× peer"`. */
  readonly target: string;
  readonly met: boolean;
}

/** What one benchmark reports: table rows, plus the raw figures behind them. */
export interface BenchResult {
  /** The benchmark's file name without extension, e.g. `"fan-out-enqueue"`. */
  readonly name: string;
  /** The peer, in words. */
  readonly peer: string;
  readonly rows: readonly ResultRow[];
  /** Figures a reader needs to judge the rows, in words, e.g. the socket pool of the peer. */
  readonly notes: readonly string[];
  readonly details: Readonly<Record<string, unknown>>;
}

/** The prefix of the stdout line that carries a child benchmark's JSON result. */
export const RESULT_MARKER = "@@bench-result ";

/**
 * Builds a row. `ratio` is `ours / peer` for a positive peer; a peer at or below zero (a
 * difference lost in noise) has none.
 */
export function row(
  metric: string,
  ours: number,
  peer: number | null,
  target: string,
  met: (ours: number, ratio: number | null) => boolean,
): ResultRow {
  const ratio = peer === null || peer <= 0 ? null : ours / peer;
  return { metric, ours, peer, ratio, target, met: met(ours, ratio) };
}

/**
 * Runs `main` when `moduleUrl` is the process's entry file, and prints its result on one
 * marked line for the runner. Any failure exits non-zero.
 */
export function runIfMain(moduleUrl: string, main: () => Promise<BenchResult>): void {
  const entry = process.argv[1];
  if (entry === undefined || pathToFileURL(entry).href !== moduleUrl) return;
  main().then(
    (result) => {
      process.stdout.write(`${RESULT_MARKER}${JSON.stringify(result)}\n`);
      process.exit(0);
    },
    (error: unknown) => {
      console.error(error);
      process.exit(1);
    },
  );
}
