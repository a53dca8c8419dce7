/**
 * The idempotency pattern in memory, for the tests that run the worker in their own process:
 * an effect per job id (insert-or-ignore), and every handler run counted. `completions` counts
 * every run that reached the effect, so a job that completed twice shows up even though its
 * effect was written once.
 */
export class Ledger {
  /** Every handler run, in start order. */
  readonly runs: { readonly jobId: string; readonly attempt: number }[] = [];
  /** The effect of each job: the attempt that wrote it and its order among effects. */
  readonly effects = new Map<string, { readonly attempt: number; readonly order: number }>();
  completions = 0;
  readonly #runCounts = new Map<string, number>();

  /** Counts a handler run; returns how many runs of this job there were before it. */
  start(jobId: string, attempt: number): number {
    this.runs.push({ jobId, attempt });
    const before = this.#runCounts.get(jobId) ?? 0;
    this.#runCounts.set(jobId, before + 1);
    return before;
  }

  /** Writes the effect once; false when the job's effect was already there. */
  effect(jobId: string, attempt: number): boolean {
    this.completions++;
    if (this.effects.has(jobId)) return false;
    this.effects.set(jobId, { attempt, order: this.effects.size });
    return true;
  }

  /** Counts against the jobs that should have taken effect. */
  summary(expected: Iterable<string>) {
    const want = new Set(expected);
    const ran = new Set(this.runs.map((r) => r.jobId));
    return {
      effects: this.effects.size,
      lost: [...want].filter((id) => !this.effects.has(id)).length,
      unexpected: [...this.effects.keys()].filter((id) => !want.has(id)).length,
      runs: this.runs.length,
      duplicatedExecutions: this.runs.length - ran.size,
      /** Runs that completed after the job's effect was already written. */
      duplicatedCompletions: this.completions - this.effects.size,
      runsWithAttemptAbove1: this.runs.filter((r) => r.attempt > 1).length,
    };
  }
}
