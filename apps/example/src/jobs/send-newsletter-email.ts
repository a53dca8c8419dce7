import { defineJob } from "@glasswork/core";
import * as v from "valibot";

/** One newsletter to one user: the small job that a newsletter send fans out into. */
export const sendNewsletterEmail = defineJob({
  name: "send-newsletter-email",
  schema: v.object({
    newsletterId: v.pipe(v.string(), v.regex(/^[\w-]{1,40}$/)),
    userId: v.pipe(v.string(), v.regex(/^[\w-]{1,64}$/)),
  }),
  // One job per (newsletter, user): sending the same newsletter twice reuses the job ids, and
  // the outbox's conditional put (keyed by job id) makes the second email a no-op.
  unique: { key: ({ newsletterId, userId }) => `newsletter-${newsletterId}-${userId}` },
  handler: async ({ newsletterId, userId }, ctx) => {
    await ctx.services.store.addToOutbox({
      jobId: ctx.jobId,
      kind: "newsletter",
      userId,
      subject: `Newsletter ${newsletterId}`,
    });
  },
});
