import { mkdirSync } from "node:fs";
import { dirname } from "node:path";
import { DatabaseSync } from "node:sqlite";
import { inTransaction } from "./in-transaction.js";

/** A user of the example app. */
export interface User {
  id: string;
  email: string;
  name: string;
}

/** An email "sent" by a job: written to the outbox instead of SMTP. */
export interface OutboxEmail {
  jobId: string;
  kind: string;
  userId: string;
  subject: string;
  createdAt: string;
}

/** The app's SQLite database and the queries the API and the jobs use. */
export class AppDatabase {
  readonly sqlite: DatabaseSync;

  constructor(file: string) {
    if (file !== ":memory:") mkdirSync(dirname(file), { recursive: true });
    this.sqlite = new DatabaseSync(file);
    this.sqlite.exec(`
      PRAGMA journal_mode = WAL;
      PRAGMA busy_timeout = 5000;
      CREATE TABLE IF NOT EXISTS users (id TEXT PRIMARY KEY, email TEXT NOT NULL UNIQUE, name TEXT NOT NULL);
      -- The job id is the primary key: a redelivered job cannot send its email twice.
      CREATE TABLE IF NOT EXISTS outbox (
        job_id TEXT PRIMARY KEY, kind TEXT NOT NULL, user_id TEXT NOT NULL, subject TEXT NOT NULL,
        created_at TEXT NOT NULL DEFAULT (strftime('%Y-%m-%dT%H:%M:%fZ', 'now')));
      CREATE TABLE IF NOT EXISTS accounts (id TEXT PRIMARY KEY, balance_cents INTEGER NOT NULL DEFAULT 0);
      -- The "processed transactions" pattern: one row per applied transaction id.
      CREATE TABLE IF NOT EXISTS processed_transactions (
        transaction_id TEXT PRIMARY KEY, account_id TEXT NOT NULL, amount_cents INTEGER NOT NULL);
      CREATE TABLE IF NOT EXISTS images (storage_key TEXT PRIMARY KEY, thumbnail_key TEXT NOT NULL, attempts INTEGER NOT NULL);
    `);
  }

  createUser(user: User): void {
    this.sqlite
      .prepare("INSERT INTO users (id, email, name) VALUES (@id, @email, @name)")
      .run({ ...user });
  }

  findUser(id: string): User | undefined {
    return this.sqlite.prepare("SELECT id, email, name FROM users WHERE id = ?").get(id) as
      | User
      | undefined;
  }

  userIds(): string[] {
    return this.sqlite
      .prepare("SELECT id FROM users ORDER BY id")
      .all()
      .map((row) => row.id as string);
  }

  countUsers(): number {
    return this.sqlite.prepare("SELECT count(*) AS n FROM users").get()?.n as number;
  }

  /** Adds `count` newsletter subscribers in one transaction. */
  seedUsers(count: number): void {
    const insert = this.sqlite.prepare(
      "INSERT OR IGNORE INTO users (id, email, name) VALUES (?, ?, ?)",
    );
    inTransaction(this.sqlite, () => {
      for (let i = 1; i <= count; i++) {
        const id = `seed-${String(i).padStart(5, "0")}`;
        insert.run(id, `${id}@example.com`, `Subscriber ${i}`);
      }
    });
  }

  /** Writes an email once per job id; resolves false when this job already wrote it. */
  addToOutbox(email: Omit<OutboxEmail, "createdAt">): boolean {
    const result = this.sqlite
      .prepare(
        "INSERT OR IGNORE INTO outbox (job_id, kind, user_id, subject) VALUES (@jobId, @kind, @userId, @subject)",
      )
      .run({ jobId: email.jobId, kind: email.kind, userId: email.userId, subject: email.subject });
    return result.changes === 1;
  }

  outbox(kind?: string, limit = 20): OutboxEmail[] {
    return this.sqlite
      .prepare(
        `SELECT job_id AS jobId, kind, user_id AS userId, subject, created_at AS createdAt FROM outbox
         ${kind ? "WHERE kind = @kind" : ""} ORDER BY created_at DESC LIMIT @limit`,
      )
      .all(kind ? { kind, limit } : { limit }) as unknown as OutboxEmail[];
  }

  countOutbox(kind: string): number {
    return this.sqlite.prepare("SELECT count(*) AS n FROM outbox WHERE kind = ?").get(kind)
      ?.n as number;
  }

  /** Removes emails older than `days`; returns how many. */
  deleteOldOutbox(days: number): number {
    return this.sqlite
      .prepare("DELETE FROM outbox WHERE created_at < strftime('%Y-%m-%dT%H:%M:%fZ', 'now', ?)")
      .run(`-${days} days`).changes as number;
  }

  /**
   * Applies a credit exactly once per transaction id, atomically: a duplicate delivery of the
   * same job finds the transaction already processed and changes nothing.
   */
  applyCredit(accountId: string, transactionId: string, amountCents: number): boolean {
    return inTransaction(this.sqlite, () => {
      const inserted = this.sqlite
        .prepare(
          "INSERT OR IGNORE INTO processed_transactions (transaction_id, account_id, amount_cents) VALUES (?, ?, ?)",
        )
        .run(transactionId, accountId, amountCents);
      if (inserted.changes === 0) return false;
      this.sqlite
        .prepare(
          "INSERT INTO accounts (id, balance_cents) VALUES (?, ?) ON CONFLICT(id) DO UPDATE SET balance_cents = balance_cents + excluded.balance_cents",
        )
        .run(accountId, amountCents);
      return true;
    });
  }

  balance(accountId: string): number {
    return (
      (this.sqlite.prepare("SELECT balance_cents FROM accounts WHERE id = ?").get(accountId)
        ?.balance_cents as number | undefined) ?? 0
    );
  }

  saveThumbnail(storageKey: string, thumbnailKey: string, attempts: number): void {
    this.sqlite
      .prepare(
        "INSERT OR REPLACE INTO images (storage_key, thumbnail_key, attempts) VALUES (?, ?, ?)",
      )
      .run(storageKey, thumbnailKey, attempts);
  }

  image(storageKey: string): { thumbnailKey: string; attempts: number } | undefined {
    return this.sqlite
      .prepare("SELECT thumbnail_key AS thumbnailKey, attempts FROM images WHERE storage_key = ?")
      .get(storageKey) as unknown as { thumbnailKey: string; attempts: number } | undefined;
  }

  close(): void {
    this.sqlite.close();
  }
}
