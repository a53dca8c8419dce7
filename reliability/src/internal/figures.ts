import { mkdirSync, readFileSync, writeFileSync } from "node:fs";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";

/** What one test measured; RELIABILITY.md quotes these. */
export interface Figures {
  /** Jobs (or messages) put in. */
  readonly jobs: number;
  /** Faults injected, by kind. */
  readonly faults: Readonly<Record<string, number>>;
  /** Jobs that neither took effect nor reached the dead-letter queue (or were reported failed). */
  readonly lost: number;
  /** Jobs whose effect was written more than once; null where no consumer runs (producer tests). */
  readonly duplicatedEffects: number | null;
  /** Handler runs beyond the first per job (redeliveries that ran again); null without a consumer. */
  readonly duplicatedExecutions: number | null;
  /** Extra copies of a job in the queue (producer tests). */
  readonly duplicatedMessages?: number;
  /** Dead-letter queue contents, by reason. */
  readonly deadLetters: Readonly<Record<string, number>>;
  readonly seed: number;
  /** Anything else worth quoting. */
  readonly extra?: Readonly<Record<string, unknown>>;
}

const FIGURES_DIR = join(dirname(fileURLToPath(import.meta.url)), "..", "..", ".figures");

/**
 * Writes a test's figures to `reliability/.figures/<file>.json` (`<file>.soak.json` under
 * `GLASSWORK_SOAK=1`; one entry per test) and logs
 * them, so that the numbers of the last run can be quoted.
 */
export function recordFigures(
  file: string,
  test: string,
  figures: Figures,
  startedAt: number,
): void {
  const runtimeMs = Math.round(performance.now() - startedAt);
  const entry = {
    ...figures,
    runtimeMs,
    soak: process.env.GLASSWORK_SOAK === "1",
    at: new Date().toISOString(),
  };
  const path = join(FIGURES_DIR, `${file}${entry.soak ? ".soak" : ""}.json`);
  mkdirSync(FIGURES_DIR, { recursive: true });
  let all: Record<string, unknown> = {};
  try {
    all = JSON.parse(readFileSync(path, "utf8")) as Record<string, unknown>;
  } catch {
    // First run.
  }
  all[test] = entry;
  writeFileSync(path, `${JSON.stringify(all, null, 2)}\n`);
  console.log(`[reliability] ${file} › ${test}: ${JSON.stringify(entry)}`);
}

/** Counts of each value. */
export function countBy<T>(items: Iterable<T>, key: (item: T) => string): Record<string, number> {
  const counts: Record<string, number> = {};
  for (const item of items) {
    const k = key(item);
    counts[k] = (counts[k] ?? 0) + 1;
  }
  return counts;
}
