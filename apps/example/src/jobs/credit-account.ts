import { defineJob } from "@glasswork/core";
import * as v from "valibot";

/**
 * Credits an account. Delivered at least once, applied exactly once: the transaction id is
 * recorded in the same database transaction as the balance change.
 */
export const creditAccount = defineJob({
  name: "credit-account",
  schema: v.object({
    accountId: v.pipe(v.string(), v.regex(/^[\w-]{1,64}$/)),
    transactionId: v.pipe(v.string(), v.regex(/^[\w-]{1,64}$/)),
    amountCents: v.pipe(v.number(), v.integer(), v.minValue(1), v.maxValue(100_000_000)),
  }),
  handler: async ({ accountId, transactionId, amountCents }, ctx) => {
    const applied = ctx.services.db.applyCredit(accountId, transactionId, amountCents);
    ctx.logger.info(
      { accountId, transactionId, applied },
      applied ? "credit applied" : "duplicate credit ignored",
    );
  },
});
