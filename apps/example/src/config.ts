import * as v from "valibot";

const port = v.pipe(
  v.optional(v.string(), "3000"),
  v.transform(Number),
  v.integer("must be a whole number"),
  v.minValue(0, "must be 0..65535"),
  v.maxValue(65_535, "must be 0..65535"),
);
const rate = v.pipe(
  v.string(),
  v.transform(Number),
  v.minValue(0, "must be 0..1"),
  v.maxValue(1, "must be 0..1"),
);
const count = v.pipe(
  v.string(),
  v.transform(Number),
  v.integer("must be a whole number"),
  v.minValue(0, "must be >= 0"),
);
const url = v.pipe(v.string(), v.url("must be a URL"));
const flag = v.pipe(
  v.picklist(["true", "false"], 'must be "true" or "false"'),
  v.transform((value) => value === "true"),
);

const ConfigSchema = v.object({
  PORT: port,
  HOST: v.optional(v.string(), "127.0.0.1"),
  /** Set both to use real SQS queues; unset, the app starts an embedded local SQS. */
  JOBS_QUEUE_URL: v.optional(url),
  JOBS_DLQ_URL: v.optional(url),
  SQS_ENDPOINT: v.optional(url),
  /** The app's DynamoDB table; unset, the app starts an embedded DynamoDB (dynalite, in memory). */
  APP_TABLE: v.optional(
    v.pipe(v.string(), v.regex(/^[\w.-]{3,255}$/, "must be a DynamoDB table name")),
  ),
  DYNAMODB_ENDPOINT: v.optional(url),
  /** The bucket of uploads and thumbnails; unset, the embedded S3 (fauxqs) is used. */
  IMAGES_BUCKET: v.optional(
    v.pipe(v.string(), v.regex(/^[a-z0-9][a-z0-9.-]{1,61}[a-z0-9]$/, "must be an S3 bucket name")),
  ),
  S3_ENDPOINT: v.optional(url),
  AWS_REGION: v.optional(v.string(), "us-east-1"),
  NEWSLETTER_SEED_USERS: v.optional(count, "10000"),
  IMAGE_FAILURE_RATE: v.optional(rate, "0.3"),
  WORKER_CONCURRENCY: v.optional(count, "4"),
  OTEL: v.optional(v.picklist(["console", "off"], 'must be "console" or "off"')),
  OTEL_EXPORTER_OTLP_ENDPOINT: v.optional(url),
  LOG_LEVEL: v.optional(v.picklist(["debug", "info", "warn", "error"]), "info"),
  /** The bearer token of the operator routes when running locally; unset, one is generated. */
  OPERATOR_TOKEN: v.optional(v.pipe(v.string(), v.minLength(16, "must be at least 16 characters"))),
  /** Continue callers' traces from `traceparent` headers; off: the API faces the internet. */
  TRUST_INCOMING_TRACE_CONTEXT: v.optional(flag, "false"),
});

/** The app's configuration, read from environment variables. */
export type AppConfig = v.InferOutput<typeof ConfigSchema>;

/** Reads and checks the configuration; throws one clear message listing every bad variable. */
export function loadConfig(env: Record<string, string | undefined> = process.env): AppConfig {
  const present = Object.fromEntries(
    Object.entries(env).filter(([, value]) => value !== undefined && value !== ""),
  );
  const result = v.safeParse(ConfigSchema, present);
  if (result.success) {
    if (Boolean(result.output.JOBS_QUEUE_URL) !== Boolean(result.output.JOBS_DLQ_URL)) {
      throw new Error(
        "Invalid configuration: set both JOBS_QUEUE_URL and JOBS_DLQ_URL, or neither (local SQS)",
      );
    }
    return result.output;
  }
  const problems = result.issues.map((issue) => {
    const key = issue.path?.map((p) => String(p.key)).join(".") ?? "?";
    return `  ${key}=${JSON.stringify(env[key] ?? "")}: ${issue.message}`;
  });
  throw new Error(`Invalid configuration:\n${problems.join("\n")}`);
}
