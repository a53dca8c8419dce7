import type { AppDatabase } from "./db.js";

/** What job handlers get as `ctx.services`. */
export interface AppServices {
  readonly db: AppDatabase;
  /** Share of image jobs that fail transiently, to show retries. */
  readonly imageFailureRate: number;
  readonly random: () => number;
}

declare module "@glasswork/core" {
  interface Register {
    services: AppServices;
  }
}
