import { DynamoDBClient } from "@aws-sdk/client-dynamodb";
import { S3Client } from "@aws-sdk/client-s3";
import type { AppConfig } from "../config.js";
import type { LocalAws } from "../local/start-local-aws.js";
import type { LocalDynamo } from "../local/start-local-dynamo.js";
import { AppStore } from "./app-store.js";
import { ImageStore } from "./image-store.js";

/** The app's stores and their SDK clients. */
export interface Stores {
  readonly store: AppStore;
  readonly images: ImageStore;
  /** Where each store is, for the start banner. */
  readonly endpoints: { readonly dynamodb: string; readonly s3: string };
  destroy(): void;
}

/** The embedded servers, when the app runs them (see `startApp`). */
export interface LocalServers {
  readonly aws?: LocalAws | undefined;
  readonly dynamo?: LocalDynamo | undefined;
}

const LOCAL_CREDENTIALS = { accessKeyId: "local", secretAccessKey: "local" };
// A store that hangs must fail the job (and retry it) long before the Lambda deadline.
const REQUEST_HANDLER = { connectionTimeout: 2_000, requestTimeout: 5_000 };

/**
 * The DynamoDB table and S3 bucket from the configuration (`APP_TABLE`, `IMAGES_BUCKET`, and
 * their endpoints), or the embedded servers' when the configuration names none.
 */
export function createStores(config: AppConfig, local: LocalServers = {}): Stores {
  const tableName = local.dynamo?.tableName ?? config.APP_TABLE;
  const bucket = config.IMAGES_BUCKET ?? local.aws?.imagesBucket;
  if (!tableName) throw new Error("Invalid configuration: APP_TABLE is required");
  if (!bucket) throw new Error("Invalid configuration: IMAGES_BUCKET is required");
  const dynamoEndpoint = local.dynamo?.endpoint ?? config.DYNAMODB_ENDPOINT;
  const s3Endpoint = config.IMAGES_BUCKET ? config.S3_ENDPOINT : local.aws?.endpoint;
  const dynamo = new DynamoDBClient({
    region: config.AWS_REGION,
    requestHandler: REQUEST_HANDLER,
    ...(dynamoEndpoint && { endpoint: dynamoEndpoint }),
    ...(local.dynamo && { credentials: LOCAL_CREDENTIALS }),
  });
  const s3 = new S3Client({
    region: config.AWS_REGION,
    requestHandler: REQUEST_HANDLER,
    ...(s3Endpoint && { endpoint: s3Endpoint, forcePathStyle: true }),
    ...(!config.IMAGES_BUCKET && local.aws && { credentials: local.aws.credentials }),
  });
  return {
    store: new AppStore(dynamo, tableName),
    images: new ImageStore(s3, bucket),
    endpoints: {
      dynamodb: `${dynamoEndpoint ?? `https://dynamodb.${config.AWS_REGION}.amazonaws.com`}, table ${tableName}`,
      s3: `${s3Endpoint ?? `https://s3.${config.AWS_REGION}.amazonaws.com`}, bucket ${bucket}`,
    },
    destroy: () => {
      dynamo.destroy();
      s3.destroy();
    },
  };
}
