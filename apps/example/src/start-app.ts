import { randomBytes } from "node:crypto";
import { createJsonLogger, JobService, type Logger } from "@glasswork/core";
import { createJobTimeline, dashboard } from "@glasswork/dashboard";
import type { SQSQueueDriver } from "@glasswork/driver-sqs";
import { createOtelHooks } from "@glasswork/otel";
import { bootstrapWorker, type Poller, startPoller, type WorkerHandler } from "@glasswork/worker";
import { serve } from "@hono/node-server";
import type { SpanProcessor } from "@opentelemetry/sdk-trace-base";
import type { AppConfig } from "./config.js";
import { createDriver, JOBS_QUEUE } from "./create-driver.js";
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
import { type LocalAws, startLocalAws } from "./local/start-local-aws.js";
import { type LocalDynamo, startLocalDynamo } from "./local/start-local-dynamo.js";
import { startScheduler } from "./local/start-scheduler.js";
import { physicalQueueName } from "./physical-queue-name.js";
import type { AppServices } from "./services.js";
import type { AppStore } from "./store/app-store.js";
import { createStores } from "./store/create-stores.js";
import type { ImageStore } from "./store/image-store.js";
import { setupTracing } from "./tracing.js";

/** A running app: HTTP API, worker (poller), scheduler, and the embedded servers when used. */
export interface RunningApp {
  readonly url: string;
  /** The DynamoDB table. */
  readonly store: AppStore;
  /** The S3 bucket of uploads and thumbnails. */
  readonly images: ImageStore;
  /** Where SQS, S3 and DynamoDB are (embedded or configured), for the start banner. */
  readonly endpoints: { readonly sqs: string; readonly s3: string; readonly dynamodb: string };
  readonly jobs: JobService;
  readonly driver: SQSQueueDriver;
  readonly handler: WorkerHandler;
  /** The embedded SQS and S3 (fauxqs), when the configuration names no queues or no bucket. */
  readonly localAws: LocalAws | undefined;
  /** The embedded DynamoDB (dynalite), when the configuration names no table. */
  readonly localDynamo: LocalDynamo | undefined;
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
 * Starts the whole loop in this process. What the configuration does not name runs embedded on
 * 127.0.0.1, in memory: SQS and S3 (fauxqs, with the queues and the bucket created) and DynamoDB
 * (dynalite, with the table created, then seeded with the newsletter's subscribers).
 */
export async function startApp(config: AppConfig, options: StartOptions = {}): Promise<RunningApp> {
  const logger =
    options.logger ??
    createJsonLogger({ level: config.LOG_LEVEL, bindings: { app: "glasswork-example" } });
  const tracing = setupTracing(config, options.spanProcessor);
  const localAws =
    config.JOBS_QUEUE_URL && config.IMAGES_BUCKET
      ? undefined
      : await startLocalAws({ region: config.AWS_REGION });
  const localSqs = config.JOBS_QUEUE_URL ? undefined : localAws;
  const localDynamo = config.APP_TABLE
    ? undefined
    : await startLocalDynamo({ region: config.AWS_REGION });
  const stores = createStores(config, { aws: localAws, dynamo: localDynamo });
  const { store, images } = stores;
  if ((await store.countUsers()) < config.NEWSLETTER_SEED_USERS) {
    await store.seedUsers(config.NEWSLETTER_SEED_USERS);
  }

  const driver = createDriver(config, localSqs);
  const otel = createOtelHooks({
    jobs: allJobs,
    physicalQueueName: physicalQueueName(config, localSqs),
  });
  // The worker runs in this process, so the dashboard can show a live timeline of its jobs.
  const timeline = createJobTimeline({ size: 500 });
  const jobs = new JobService(driver, { hooks: [otel.producer, timeline.producerHooks], logger });
  const services: AppServices = {
    store,
    images,
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
    store,
    images,
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
    store,
    images,
    endpoints: {
      sqs:
        localSqs?.endpoint ??
        config.SQS_ENDPOINT ??
        `https://sqs.${config.AWS_REGION}.amazonaws.com`,
      ...stores.endpoints,
    },
    jobs,
    driver,
    handler,
    localAws,
    localDynamo,
    operatorToken,
    dashboardUrl: `${url}/dashboard`,
    runPeriodic: scheduler.runNow,
    stop: () => {
      stopping ??= (async () => {
        scheduler.stop();
        await new Promise<void>((resolve) => server.close(() => resolve()));
        await Promise.all(pollers.map((p) => p.stop()));
        await driver.dispose();
        stores.destroy();
        await localAws?.stop();
        await localDynamo?.stop();
        await tracing.shutdown();
      })();
      return stopping;
    },
  };
}
