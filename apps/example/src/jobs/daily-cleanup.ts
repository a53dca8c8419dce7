import { definePeriodicJob } from "@glasswork/core";

/** Deletes outbox emails older than 30 days, once a day. */
export const dailyCleanup = definePeriodicJob({
  name: "daily-cleanup",
  schedule: "rate(1 day)",
  handler: async (ctx) => {
    const deleted = await ctx.services.store.deleteOldOutbox(30);
    ctx.logger.info({ deleted }, "old outbox emails deleted");
  },
});
