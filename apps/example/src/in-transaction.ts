import type { DatabaseSync } from "node:sqlite";

/**
 * Runs `work` in one SQLite transaction: committed when it returns, rolled back when it throws.
 * node:sqlite has no transaction helper of its own.
 */
export function inTransaction<T>(db: DatabaseSync, work: () => T): T {
  db.exec("BEGIN IMMEDIATE");
  try {
    const result = work();
    db.exec("COMMIT");
    return result;
  } catch (error) {
    db.exec("ROLLBACK");
    throw error;
  }
}
