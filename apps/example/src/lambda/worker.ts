import { createJsonLogger } from "@glasswork/core";
import { createOtelHooks } from "@glasswork/otel";
import { bootstrapWorker } from "@glasswork/worker";
import { loadConfig } from "../config.js";
import { createDriver } from "../create-driver.js";
import { allJobs } from "../jobs/index.js";
import { physicalQueueName } from "../physical-queue-name.js";
import { createStores } from "../store/create-stores.js";

const config = loadConfig();
// One set of SDK clients per cold start, on the same table and bucket as the API function.
const { store, images } = createStores(config);

/** The worker Lambda: SQS batches with partial failures, and the daily-cleanup schedule. */
export const handler = bootstrapWorker({
  jobs: allJobs,
  driver: createDriver(config),
  logger: createJsonLogger({ level: config.LOG_LEVEL, bindings: { app: "glasswork-example" } }),
  hooks: [createOtelHooks({ jobs: allJobs, physicalQueueName: physicalQueueName(config) }).worker],
  services: {
    store,
    images,
    imageFailureRate: config.IMAGE_FAILURE_RATE,
    random: Math.random,
  },
});
