import type { BenchResult } from "./result.js";
import type { Spread } from "./stats.js";

const COLUMNS = ["benchmark", "metric", "ours", "peer", "ratio", "target", "met?"] as const;

/** Formats a figure to about 3 significant digits, with thousands separators. */
export function formatNumber(value: number | null): string {
  if (value === null) return "—";
  const abs = Math.abs(value);
  const digits = abs >= 100 ? 0 : abs >= 10 ? 1 : abs >= 1 ? 2 : 3;
  return value.toLocaleString("en-US", {
    minimumFractionDigits: digits,
    maximumFractionDigits: digits,
  });
}

/** A sampled figure as `median (min–max)`; a single figure as itself. */
export function formatFigure(value: number | null, samples?: Spread): string {
  if (value === null || samples === undefined) return formatNumber(value);
  return `${formatNumber(value)} (${formatNumber(samples.min)}–${formatNumber(samples.max)})`;
}

/** A ratio as `0.93×`, with the spread of its round-by-round ratios where known: `0.93× (0.85–1.02)`. */
export function formatRatio(ratio: number | null, rounds?: Spread): string {
  if (ratio === null) return "—";
  const text = `${ratio.toFixed(2)}×`;
  return rounds === undefined
    ? text
    : `${text} (${rounds.min.toFixed(2)}–${rounds.max.toFixed(2)})`;
}

/** The results as one Markdown table (readable in a terminal and in the README alike). */
export function formatTable(results: readonly BenchResult[]): string {
  const lines: string[][] = [];
  for (const result of results) {
    result.rows.forEach((r, i) => {
      lines.push([
        i === 0 ? result.name : "",
        r.metric,
        formatFigure(r.ours, r.oursSpread),
        formatFigure(r.peer, r.peerSpread),
        formatRatio(r.ratio, r.ratioSpread),
        r.target,
        r.met === null ? "—" : r.met ? "yes" : "**no**",
      ]);
    });
  }
  const widths = COLUMNS.map((c, i) =>
    Math.max(c.length, ...lines.map((l) => (l[i] ?? "").length)),
  );
  const render = (cells: readonly string[]) =>
    `| ${cells.map((cell, i) => (i >= 2 && i <= 4 ? cell.padStart(widths[i] ?? 0) : cell.padEnd(widths[i] ?? 0))).join(" | ")} |`;
  const rule = `|${widths.map((w, i) => (i >= 2 && i <= 4 ? `${"-".repeat(w + 1)}:` : "-".repeat(w + 2))).join("|")}|`;
  return [render(COLUMNS), rule, ...lines.map(render)].join("\n");
}

/** Each benchmark's peer and notes, as a Markdown list. */
export function formatNotes(results: readonly BenchResult[]): string {
  return results
    .map((r) =>
      [`- **${r.name}** — peer: ${r.peer}.`, ...r.notes.map((n) => `  - ${n}`)].join("\n"),
    )
    .join("\n");
}
