// The worker entry of a minimal Glasswork app, as its README shows it: bundled by the cold-start
// benchmark, imported once per process.
import { defineJob } from "@glasswork/core";
import { SQSQueueDriver } from "@glasswork/driver-sqs";
import { bootstrapWorker } from "@glasswork/worker";
import * as v from "valibot";

const sendWelcomeEmail = defineJob({
  name: "send-welcome-email",
  schema: v.object({ userId: v.string() }),
  handler: () => {},
});

/** The Lambda handler. */
export const handler = bootstrapWorker({
  jobs: [sendWelcomeEmail],
  driver: new SQSQueueDriver({ queues: { default: process.env.JOBS_QUEUE_URL ?? "" } }),
});
