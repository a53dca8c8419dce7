import { defineJob } from "@glasswork/core";
import * as v from "valibot";

/**
 * Credits an account. Delivered at least once, applied exactly once: the balance changes in a
 * DynamoDB conditional write that also records the transaction id (see `AppStore.applyCredit`).
 */
export const creditAccount = defineJob({
  name: "credit-account",
  schema: v.object({
    accountId: v.pipe(v.string(), v.regex(/^[\w-]{1,64}$/)),
    transactionId: v.pipe(v.string(), v.regex(/^[\w-]{1,64}$/)),
    amountCents: v.pipe(v.number(), v.integer(), v.minValue(1), v.maxValue(100_000_000)),
  }),
  handler: async ({ accountId, transactionId, amountCents }, ctx) => {
    const applied = await ctx.services.store.applyCredit(accountId, transactionId, amountCents);
    ctx.logger.info(
      { accountId, transactionId, applied },
      applied ? "credit applied" : "duplicate credit ignored",
    );
  },
});
