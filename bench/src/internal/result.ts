import { pathToFileURL } from "node:url";
import { roundRatios, type Spread, spread } from "./stats.js";

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

/** One side's samples in round order: sample `i` of each side ran in round `i`, next to each other. */
export type RoundSamples = readonly number[];

type Figure = number | Spread | RoundSamples;

/**
 * Builds a row from single figures, from the {@link Spread} of samples, or from the samples
 * themselves in round order (the median is the figure). `ratio` is `ours / peer` for a positive
 * peer; a peer at or below zero (a difference lost in noise) has none. With both sides' samples
 * by round, the row also has the spread of the rounds' own ratios (`roundRatios`). Without
 * `met`, the row is a reference figure, not a target.
 */
export function row(
  metric: string,
  ours: Figure,
  peer: Figure | null,
  target: string,
  met?: Met,
): ResultRow {
  const oursSpread = spreadOf(ours);
  const peerSpread = peer === null ? undefined : spreadOf(peer);
  const oursValue = oursSpread?.median ?? (ours as number);
  const peerValue = peer === null ? null : (peerSpread?.median ?? (peer as number));
  const ratio = peerValue === null || peerValue <= 0 ? null : oursValue / peerValue;
  return {
    metric,
    ours: oursValue,
    peer: peerValue,
    ...(oursSpread && { oursSpread }),
    ...(peerSpread && { peerSpread }),
    ratio,
    ...(isRoundSamples(ours) &&
      isRoundSamples(peer) &&
      ratio !== null && { ratioSpread: roundRatios(ours, peer) }),
    target,
    met: met === undefined ? null : met(oursValue, ratio),
  };
}

/** How {@link row} decides whether a target is met, from our figure and the ratio. */
export type Met = (ours: number, ratio: number | null) => boolean;

/** A target on the ratio, as {@link row}'s last two arguments: ours at most `times` the peer's. */
export function ratioAtMost(times: number): [target: string, met: Met] {
  return [`≤ ${timesText(times)}× peer`, (_, ratio) => ratio !== null && ratio <= times];
}

/** A target on the ratio, as {@link row}'s last two arguments: ours at least `times` the peer's. */
export function ratioAtLeast(times: number): [target: string, met: Met] {
  return [`≥ ${timesText(times)}× peer`, (_, ratio) => ratio !== null && ratio >= times];
}

// 1 reads "1.0×", as the table writes ratios.
function timesText(times: number): string {
  return Number.isInteger(times) ? times.toFixed(1) : String(times);
}

function isRoundSamples(figure: Figure | null): figure is RoundSamples {
  return Array.isArray(figure);
}

function spreadOf(figure: Figure): Spread | undefined {
  if (typeof figure === "number") return undefined;
  return isRoundSamples(figure) ? spread(figure) : figure;
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
