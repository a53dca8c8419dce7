import { JobService } from "@glasswork/core";
import { createOtelHooks } from "@glasswork/otel";
import { handle } from "hono/aws-lambda";
import { loadConfig } from "../config.js";
import { createDriver, JOBS_QUEUE } from "../create-driver.js";
import { createApi } from "../http/create-api.js";
import { iamAuthorizerAuth } from "../http/iam-authorizer-auth.js";
import { physicalQueueName } from "../physical-queue-name.js";
import { createStores } from "../store/create-stores.js";

// Created once per cold start and reused by every request. The data lives in the stack's
// DynamoDB table and S3 bucket (APP_TABLE, IMAGES_BUCKET), shared with the worker function.
const config = loadConfig();
const driver = createDriver(config);
const jobs = new JobService(driver, {
  hooks: [createOtelHooks({ physicalQueueName: physicalQueueName(config) }).producer],
});
const { store, images } = createStores(config);
const physicalName = physicalQueueName(config);

/** The API Lambda (API Gateway HTTP API). */
export const handler = handle(
  createApi({
    store,
    images,
    jobs,
    driver,
    queue: JOBS_QUEUE,
    queueAliases: [physicalName(JOBS_QUEUE)],
    // The template puts the operator routes behind the HTTP API's IAM authorizer.
    operatorAuth: iamAuthorizerAuth,
    trustIncomingTraceContext: config.TRUST_INCOMING_TRACE_CONTEXT,
  }),
);
