import { createOtelHooks } from "@glasswork/otel";
import { bootstrapWorker } from "@glasswork/worker";
import { loadConfig } from "../config.js";
import { createDriver } from "../create-driver.js";
import { AppDatabase } from "../db.js";
import { allJobs } from "../jobs/index.js";
import { physicalQueueName } from "../physical-queue-name.js";

const config = loadConfig();

/** The worker Lambda: SQS batches with partial failures, and the daily-cleanup schedule. */
export const handler = bootstrapWorker({
  jobs: allJobs,
  driver: createDriver(config),
  hooks: [createOtelHooks({ jobs: allJobs, physicalQueueName: physicalQueueName(config) }).worker],
  services: () => ({
    db: new AppDatabase(`${config.DATA_DIR}/app.sqlite`),
    imageFailureRate: config.IMAGE_FAILURE_RATE,
    random: Math.random,
  }),
});
