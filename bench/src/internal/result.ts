import { pathToFileURL } from "node:url";
import { roundRatios, type Spread } from "./stats.js";

/** One compared figure of a benchmark: a row of the printed table. */
export interface ResultRow {
  /** What is measured, with its unit, e.g. `"wall time (ms)"`. */
  readonly metric: string;
  /** Ours: the median where the figure was sampled. */
  readonly ours: number;
  /** The peer's figure (the median where sampled); `null` where the target is absolute. */
  readonly peer: number | null;
  /** Min and max of our samples, where the figure was sampled. */
  readonly oursSpread?: Spread;
  /** Min and max of the peer's samples, where the figure was sampled. */
  readonly peerSpread?: Spread;
  /** `ours / peer` (of the medians of the same run), or `null` without a peer. */
  readonly ratio: number | null;
  /** Min, median and max of the ratios of each round's samples, where both sides were sampled by round. */
  readonly ratioSpread?: Spread;
  /** The target in words, e.g. `"≤ 0.25× peer"`. */
  readonly target: string;
  /** Whether the target is met; `null` for a reference figure without a target (a floor). */
  readonly met: boolean | null;
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
 * Builds a row from single figures or from the {@link Spread} of samples (its median is the
 * figure). `ratio` is `ours / peer` for a positive peer; a peer at or below zero (a difference
 * lost in noise) has none. Without `met`, the row is a reference figure, not a target.
 */
export function row(
  metric: string,
  ours: number | Spread,
  peer: number | Spread | null,
  target: string,
  met?: (ours: number, ratio: number | null) => boolean,
): ResultRow {
  const oursValue = typeof ours === "number" ? ours : ours.median;
  const peerValue = peer === null || typeof peer === "number" ? peer : peer.median;
  const ratio = peerValue === null || peerValue <= 0 ? null : oursValue / peerValue;
  return {
    metric,
    ours: oursValue,
    peer: peerValue,
    ...(typeof ours === "number" ? {} : { oursSpread: ours }),
    ...(peer === null || typeof peer === "number" ? {} : { peerSpread: peer }),
    ratio,
    target,
    met: met === undefined ? null : met(oursValue, ratio),
  };
}

/**
 * `r` with the spread of its round-by-round ratios (see `roundRatios`): `ours[i]` and `peer[i]`
 * are the samples of round `i`, the same figures the row's medians were taken from.
 */
export function withRoundRatios(
  r: ResultRow,
  ours: readonly number[],
  peer: readonly number[],
): ResultRow {
  return { ...r, ratioSpread: roundRatios(ours, peer) };
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
