import { JobService } from "@glasswork/core";
import { createOtelHooks } from "@glasswork/otel";
import { handle } from "hono/aws-lambda";
import { loadConfig } from "../config.js";
import { createDriver, JOBS_QUEUE } from "../create-driver.js";
import { AppDatabase } from "../db.js";
import { createApi } from "../http/create-api.js";
import { iamAuthorizerAuth } from "../http/iam-authorizer-auth.js";
import { physicalQueueName } from "../physical-queue-name.js";

// Created once per cold start and reused by every request.
const config = loadConfig();
const driver = createDriver(config);
const jobs = new JobService(driver, {
  hooks: [createOtelHooks({ physicalQueueName: physicalQueueName(config) }).producer],
});
// SQLite stands in for the app's real database (RDS, DynamoDB…) in this example.
const db = new AppDatabase(`${config.DATA_DIR}/app.sqlite`);

/** The API Lambda (API Gateway HTTP API). */
export const handler = handle(
  createApi({
    db,
    jobs,
    driver,
    queue: JOBS_QUEUE,
    // The template puts the operator routes behind the HTTP API's IAM authorizer.
    operatorAuth: iamAuthorizerAuth,
    trustIncomingTraceContext: config.TRUST_INCOMING_TRACE_CONTEXT,
  }),
);
