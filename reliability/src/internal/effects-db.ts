import { DatabaseSync, type StatementSync } from "node:sqlite";

/**
 * The idempotency pattern in SQLite, shared by a test and the poller processes it starts: the
 * effect of a job is one row keyed by its job id (`INSERT OR IGNORE`), and every run of a
 * handler is counted in `executions`, so duplicated runs stay visible while duplicated effects
 * cannot happen. `jobs` holds what the test enqueued (the expected set).
 */
export class EffectsDb {
  readonly sqlite: DatabaseSync;
  readonly #execution: StatementSync;
  readonly #effect: StatementSync;

  constructor(file: string, options: { readonly readonly?: boolean } = {}) {
    this.sqlite = new DatabaseSync(file, { readOnly: options.readonly ?? false });
    this.sqlite.exec("PRAGMA busy_timeout = 10000");
    if (!options.readonly) {
      // WAL with synchronous=NORMAL survives a killed process (not a power cut), which is
      // what these tests do to it.
      this.sqlite.exec(`
        PRAGMA journal_mode = WAL;
        PRAGMA synchronous = NORMAL;
        CREATE TABLE IF NOT EXISTS jobs (job_id TEXT PRIMARY KEY, n INTEGER NOT NULL);
        CREATE TABLE IF NOT EXISTS effects (
          job_id TEXT PRIMARY KEY, n INTEGER NOT NULL, attempt INTEGER NOT NULL,
          pid INTEGER NOT NULL, at REAL NOT NULL);
        CREATE TABLE IF NOT EXISTS executions (
          id INTEGER PRIMARY KEY AUTOINCREMENT, job_id TEXT NOT NULL, attempt INTEGER NOT NULL,
          pid INTEGER NOT NULL, at REAL NOT NULL);
      `);
    }
    this.#execution = this.sqlite.prepare(
      "INSERT INTO executions (job_id, attempt, pid, at) VALUES (?, ?, ?, ?)",
    );
    this.#effect = this.sqlite.prepare(
      "INSERT OR IGNORE INTO effects (job_id, n, attempt, pid, at) VALUES (?, ?, ?, ?, ?)",
    );
  }

  /** Counts a handler run. */
  execution(jobId: string, attempt: number): void {
    this.#execution.run(jobId, attempt, process.pid, Date.now());
  }

  /** Writes a job's effect once; false when it was already there (a redelivery). */
  effect(jobId: string, n: number, attempt: number): boolean {
    return this.#effect.run(jobId, n, attempt, process.pid, Date.now()).changes === 1;
  }

  /** Records the jobs the test enqueued. */
  addJobs(jobs: readonly { readonly jobId: string; readonly n: number }[]): void {
    const insert = this.sqlite.prepare("INSERT INTO jobs (job_id, n) VALUES (?, ?)");
    this.sqlite.exec("BEGIN");
    for (const job of jobs) insert.run(job.jobId, job.n);
    this.sqlite.exec("COMMIT");
  }

  /** One number from a `SELECT count(*) …`. */
  count(sql: string): number {
    const row = this.sqlite.prepare(sql).get();
    return (row ? Object.values(row)[0] : 0) as number;
  }

  /** Every count the tests assert on. */
  summary(): EffectsSummary {
    const c = (sql: string) => this.count(sql);
    return {
      jobs: c("SELECT count(*) FROM jobs"),
      effects: c("SELECT count(*) FROM effects"),
      lost: c(
        "SELECT count(*) FROM jobs WHERE NOT EXISTS (SELECT 1 FROM effects e WHERE e.job_id = jobs.job_id)",
      ),
      unexpected: c(
        "SELECT count(*) FROM effects WHERE NOT EXISTS (SELECT 1 FROM jobs j WHERE j.job_id = effects.job_id)",
      ),
      duplicatedEffects: c(
        "SELECT count(*) FROM (SELECT job_id FROM effects GROUP BY job_id HAVING count(*) > 1)",
      ),
      executions: c("SELECT count(*) FROM executions"),
      duplicatedExecutions: c("SELECT count(*) - count(DISTINCT job_id) FROM executions"),
      effectsWithAttemptAbove1: c("SELECT count(*) FROM effects WHERE attempt > 1"),
      executionsWithAttemptAbove1: c("SELECT count(*) FROM executions WHERE attempt > 1"),
      rerunsAfterEffect: c(
        "SELECT count(*) FROM executions x JOIN effects e ON e.job_id = x.job_id WHERE x.at > e.at AND x.attempt > e.attempt",
      ),
      repeatedAttempts: c(
        "SELECT count(*) FROM (SELECT job_id, attempt FROM executions GROUP BY job_id, attempt HAVING count(*) > 1)",
      ),
      processes: c("SELECT count(DISTINCT pid) FROM executions"),
    };
  }

  close(): void {
    this.sqlite.close();
  }
}

/** Counts from {@link EffectsDb.summary}. */
export interface EffectsSummary {
  /** Jobs enqueued. */
  readonly jobs: number;
  /** Effects written (one per job id at most, by the primary key). */
  readonly effects: number;
  /** Enqueued jobs without an effect. */
  readonly lost: number;
  /** Effects of jobs that were never enqueued. */
  readonly unexpected: number;
  /** Job ids with more than one effect row. */
  readonly duplicatedEffects: number;
  /** Handler runs. */
  readonly executions: number;
  /** Handler runs beyond the first, per job. */
  readonly duplicatedExecutions: number;
  readonly effectsWithAttemptAbove1: number;
  readonly executionsWithAttemptAbove1: number;
  /** Runs of a job whose effect an earlier attempt had written: redeliveries after a crash. */
  readonly rerunsAfterEffect: number;
  /** (job, attempt) pairs that ran twice: one delivery run twice, which must never happen. */
  readonly repeatedAttempts: number;
  /** Distinct processes that ran jobs. */
  readonly processes: number;
}
