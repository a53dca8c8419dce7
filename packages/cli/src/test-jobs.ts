// Test-only (excluded from the build and the package): the jobs the CLI tests' configs import,
// with a `.js` specifier as users write them.
import { appendFileSync } from "node:fs";
import { defineJob, definePeriodicJob, PermanentJobError } from "@glasswork/core";
import * as v from "valibot";

/** Validates an address; does nothing else. */
export const sendEmail = defineJob({
  name: "send-email",
  schema: v.object({ to: v.pipe(v.string(), v.email()), subject: v.optional(v.string()) }),
  retry: { maxAttempts: 5 },
  handler: () => {},
});

/** Appends its `line` to `file`, so a test sees that it ran and how often. */
export const recordRun = defineJob({
  name: "record-run",
  schema: v.object({ file: v.string(), line: v.string() }),
  handler: ({ file, line }) => {
    appendFileSync(file, `${line}\n`);
  },
});

/** Fails for good every time: its messages go to the dead-letter queue. */
export const alwaysFails = defineJob<{ key: string }>({
  name: "always-fails",
  handler: ({ key }) => {
    throw new PermanentJobError(`user ${key} does not exist`);
  },
});

/** A periodic job, which cannot be enqueued. */
export const nightlyReport = definePeriodicJob({
  name: "nightly-report",
  schedule: "rate(1 day)",
  handler: () => {},
});
