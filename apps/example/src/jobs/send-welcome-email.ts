import { defineJob, PermanentJobError } from "@glasswork/core";
import * as v from "valibot";

/** Welcomes a new user. A user that does not exist can never be welcomed: permanent failure. */
export const sendWelcomeEmail = defineJob({
  name: "send-welcome-email",
  // IDs, not data: the handler loads the user itself, so the email is never stale.
  schema: v.object({ userId: v.pipe(v.string(), v.minLength(1), v.maxLength(64)) }),
  retry: { maxAttempts: 5 },
  handler: async ({ userId }, ctx) => {
    const user = await ctx.services.store.findUser(userId);
    if (!user) throw new PermanentJobError(`user ${userId} does not exist`);
    // Keyed by the job id: a redelivery finds the email already written and does nothing.
    const written = await ctx.services.store.addToOutbox({
      jobId: ctx.jobId,
      kind: "welcome",
      userId,
      subject: `Welcome, ${user.name}!`,
    });
    ctx.logger.info(
      { userId, duplicate: !written },
      written ? "welcome email written" : "welcome email already written",
    );
  },
});
