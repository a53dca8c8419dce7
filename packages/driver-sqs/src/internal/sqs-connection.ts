import type { SQSClient, SQSClientConfig } from "@aws-sdk/client-sqs";

/** The `@aws-sdk/client-sqs` module. */
export type SqsSdk = typeof import("@aws-sdk/client-sqs");

/** What one request needs: the SDK's command classes and the client that sends them. */
export interface Sqs {
  readonly sdk: SqsSdk;
  readonly client: SQSClient;
}

let loading: Promise<SqsSdk> | undefined;

// Importing the SDK is most of a worker's cold start, and a Lambda worker whose jobs succeed
// never calls SQS (Lambda deletes what is not in `batchItemFailures`): it is imported on first
// use, once per process. A failed import is not kept, so a later call tries again.
function loadSdk(): Promise<SqsSdk> {
  loading ??= import("@aws-sdk/client-sqs").catch((error: unknown) => {
    loading = undefined;
    throw error;
  });
  return loading;
}

/**
 * The driver's way to SQS: the SDK imported and the client made on first use (or the client
 * the caller gave, as it is). Nothing here imports the SDK before {@link SqsConnection.ready}.
 */
export class SqsConnection {
  readonly #given: SQSClient | undefined;
  readonly #config: SQSClientConfig;
  #ready: Promise<Sqs> | undefined;

  /** `given` is the caller's client; without it one is made from `config` on first use. */
  constructor(given: SQSClient | undefined, config: SQSClientConfig) {
    this.#given = given;
    this.#config = config;
  }

  /** The SDK and the client, importing and making them on the first call. */
  ready(): Promise<Sqs> {
    this.#ready ??= loadSdk().then(
      (sdk) => ({ sdk, client: this.#given ?? new sdk.SQSClient(this.#config) }),
      (error: unknown) => {
        this.#ready = undefined;
        throw error;
      },
    );
    return this.#ready;
  }

  /** Destroys the client if this connection made it; a given client is left open. */
  async dispose(): Promise<void> {
    if (this.#given || !this.#ready) return;
    const made = await this.#ready.catch(() => undefined);
    made?.client.destroy();
  }
}
