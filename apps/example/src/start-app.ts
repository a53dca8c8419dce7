import { randomBytes } from "node:crypto";
import { join } from "node:path";
import { createJsonLogger, JobService, type Logger } from "@glasswork/core";
import { createJobTimeline, dashboard } from "@glasswork/dashboard";
import type { SQSQueueDriver } from "@glasswork/driver-sqs";
import { createOtelHooks } from "@glasswork/otel";
import { bootstrapWorker, type Poller, startPoller, type WorkerHandler } from "@glasswork/worker";
import { serve } from "@hono/node-server";
import type { SpanProcessor } from "@opentelemetry/sdk-trace-base";
import type { AppConfig } from "./config.js";
import { createDriver, JOBS_QUEUE } from "./create-driver.js";
import { AppDatabase } from "./db.js";
import { bearerTokenAuth } from "./http/bearer-token-auth.js";
import { createApi } from "./http/create-api.js";
import { dashboardAuth } from "./http/dashboard-auth.js";
import {
  allJobs,
  creditAccount,
  dailyCleanup,
  processImage,
  sendNewsletterEmail,
  sendWelcomeEmail,
} from "./jobs/index.js";
import { type LocalSqs, startLocalSqs } from "./local/start-local-sqs.js";
import { startScheduler } from "./local/start-scheduler.js";
import { physicalQueueName } from "./physical-queue-name.js";
import type { AppServices } from "./services.js";
import { setupTracing } from "./tracing.js";

/** A running app: HTTP API, worker (poller), scheduler, and the local SQS when used. */
export interface RunningApp {
  readonly url: string;
  readonly db: AppDatabase;
  readonly jobs: JobService;
  readonly driver: SQSQueueDriver;
  readonly handler: WorkerHandler;
  readonly localSqs: LocalSqs | undefined;
  /** The bearer token of the operator routes: `OPERATOR_TOKEN`, or one generated at start. */
  readonly operatorToken: string;
  /** The jobs dashboard; open it once with `?token=<operatorToken>`. */
  readonly dashboardUrl: string;
  runPeriodic(jobName: string): Promise<void>;
  stop(): Promise<void>;
}

/** Extra knobs for tests and the demo. */
export interface StartOptions {
  /** Receives every span, e.g. an in-memory exporter's processor. */
  readonly spanProcessor?: SpanProcessor;
  readonly logger?: Logger;
  /** Seconds before a failed attempt's visibility is reset by the poller. Default 30. */
  readonly visibilityTimeout?: number;
  /** The random source of the flaky image service. Default `Math.random`. */
  readonly random?: () => number;
}

/**
 * Starts the whole loop in this process. With no queue URLs configured it starts an embedded
 * SQS (fauxqs) on 127.0.0.1 and creates the queues.
 */
export async function startApp(config: AppConfig, options: StartOptions = {}): Promise<RunningApp> {
  const logger =
    options.logger ??
    createJsonLogger({ level: config.LOG_LEVEL, bindings: { app: "glasswork-example" } });
  const tracing = setupTracing(config, options.spanProcessor);
  const localSqs = config.JOBS_QUEUE_URL
    ? undefined
    : await startLocalSqs({ region: config.AWS_REGION });
  const db = new AppDatabase(join(config.DATA_DIR, "app.sqlite"));
  if (db.countUsers() < config.NEWSLETTER_SEED_USERS) db.seedUsers(config.NEWSLETTER_SEED_USERS);

  const driver = createDriver(config, localSqs);
  const otel = createOtelHooks({
    jobs: allJobs,
    physicalQueueName: physicalQueueName(config, localSqs),
  });
  // The worker runs in this process, so the dashboard can show a live timeline of its jobs.
  const timeline = createJobTimeline({ size: 500 });
  const jobs = new JobService(driver, { hooks: [otel.producer, timeline.producerHooks], logger });
  const services: AppServices = {
    db,
    imageFailureRate: config.IMAGE_FAILURE_RATE,
    random: options.random ?? Math.random,
  };
  const handler = bootstrapWorker({
    jobs: allJobs,
    driver,
    services,
    logger,
    hooks: [otel.worker, timeline.workerHooks],
  });
  const pollers: Poller[] = [
    startPoller({
      handler,
      driver,
      queue: JOBS_QUEUE,
      concurrency: config.WORKER_CONCURRENCY,
      visibilityTimeout: options.visibilityTimeout ?? 30,
      stopOnSignals: [],
      logger,
    }),
  ];
  const scheduler = startScheduler(handler, [dailyCleanup], logger);

  const operatorToken = config.OPERATOR_TOKEN ?? randomBytes(24).toString("base64url");
  const operatorAuth = bearerTokenAuth(operatorToken);
  const api = createApi({
    db,
    jobs,
    driver,
    queue: JOBS_QUEUE,
    operatorAuth,
    trustIncomingTraceContext: config.TRUST_INCOMING_TRACE_CONTEXT,
  });
  // Mounted here, not in createApi: on Lambda the operator routes sit behind an IAM authorizer,
  // which a browser cannot sign for.
  api.route(
    "/dashboard",
    dashboard({
      driver,
      queues: [JOBS_QUEUE],
      jobs: [sendWelcomeEmail, sendNewsletterEmail, creditAccount, processImage],
      timeline,
      unknownSource: "include",
      auth: dashboardAuth(operatorAuth, operatorToken),
    }),
  );
  const { server, url } = await new Promise<{ server: ReturnType<typeof serve>; url: string }>(
    (resolve) => {
      const server = serve({ fetch: api.fetch, hostname: config.HOST, port: config.PORT }, (info) =>
        resolve({ server, url: `http://${config.HOST}:${info.port}` }),
      );
    },
  );

  let stopping: Promise<void> | undefined;
  return {
    url,
    db,
    jobs,
    driver,
    handler,
    localSqs,
    operatorToken,
    dashboardUrl: `${url}/dashboard`,
    runPeriodic: scheduler.runNow,
    stop: () => {
      stopping ??= (async () => {
        scheduler.stop();
        await new Promise<void>((resolve) => server.close(() => resolve()));
        await Promise.all(pollers.map((p) => p.stop()));
        await driver.dispose();
        await localSqs?.stop();
        await tracing.shutdown();
        db.close();
      })();
      return stopping;
    },
  };
}
