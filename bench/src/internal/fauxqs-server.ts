import type { ChildProcess } from "node:child_process";
import { randomUUID } from "node:crypto";
import {
  CreateQueueCommand,
  DeleteQueueCommand,
  GetQueueAttributesCommand,
  type QueueAttributeName,
  SQSClient,
} from "@aws-sdk/client-sqs";
import { forkTs } from "./spawn-ts.js";

/** A message from the parent to the fauxqs process. */
export type ServerRequest = { readonly type: "counts" | "reset"; readonly id: number };
/** A message from the fauxqs process to the parent. */
export type ServerReply =
  | { readonly type: "ready"; readonly endpoint: string }
  | {
      readonly type: "counts";
      readonly id: number;
      readonly counts: Record<string, number>;
      /** TCP connections the server accepted since the last reset. */
      readonly sockets: number;
    };

/** What an `SQSClient` needs to talk to the bench server (dummy credentials). */
export interface ClientConfig {
  readonly endpoint: string;
  readonly region: string;
  readonly credentials: { readonly accessKeyId: string; readonly secretAccessKey: string };
}

/** A fauxqs server in a child process, with request counts taken on the server. */
export interface FauxqsServer {
  readonly clientConfig: ClientConfig;
  /** Creates a fresh standard queue and returns the URL that CreateQueue returned. */
  createQueue(
    prefix: string,
    attributes?: Partial<Record<QueueAttributeName, string>>,
  ): Promise<string>;
  /** Deletes a queue, so that finished runs leave the server as it was. */
  deleteQueue(queueUrl: string): Promise<void>;
  /** Messages in the queue, visible, in flight or delayed. */
  countMessages(queueUrl: string): Promise<number>;
  /** Requests the server received, by SQS action (`"SendMessageBatch"`), SDK retries included. */
  requestCounts(): Promise<Record<string, number>>;
  /** TCP connections the server accepted since the last reset: the clients' sockets. */
  socketCount(): Promise<number>;
  /** Sets every request count, and the socket count, back to zero. */
  resetRequestCounts(): Promise<void>;
  stop(): Promise<void>;
}

const REGION = "us-east-1";

/** Starts fauxqs 1.9.2 on 127.0.0.1 and an ephemeral port, in its own process. */
export async function startFauxqsServer(): Promise<FauxqsServer> {
  const child = forkTs(new URL("./fauxqs-process.ts", import.meta.url), [], { stdout: "inherit" });
  const endpoint = await new Promise<string>((resolve, reject) => {
    child.once("error", reject);
    child.once("exit", (code) => reject(new Error(`fauxqs exited early (code ${code})`)));
    child.once("message", (message: ServerReply) => {
      if (message.type === "ready") resolve(message.endpoint);
    });
  });
  const clientConfig: ClientConfig = {
    endpoint,
    region: REGION,
    credentials: { accessKeyId: "bench", secretAccessKey: "bench" },
  };
  const admin = new SQSClient(clientConfig);
  const ask = askOver(child);
  return {
    clientConfig,
    async createQueue(prefix, attributes = {}) {
      const { QueueUrl } = await admin.send(
        new CreateQueueCommand({
          QueueName: `${prefix}-${randomUUID().slice(0, 8)}`,
          Attributes: attributes,
        }),
      );
      if (!QueueUrl) throw new Error("fauxqs returned no queue URL");
      return QueueUrl;
    },
    async deleteQueue(queueUrl) {
      await admin.send(new DeleteQueueCommand({ QueueUrl: queueUrl }));
    },
    async countMessages(queueUrl) {
      const { Attributes = {} } = await admin.send(
        new GetQueueAttributesCommand({
          QueueUrl: queueUrl,
          AttributeNames: [
            "ApproximateNumberOfMessages",
            "ApproximateNumberOfMessagesNotVisible",
            "ApproximateNumberOfMessagesDelayed",
          ],
        }),
      );
      return Object.values(Attributes).reduce((sum, count) => sum + Number(count), 0);
    },
    requestCounts: async () => (await ask("counts")).counts,
    socketCount: async () => (await ask("counts")).sockets,
    resetRequestCounts: async () => {
      await ask("reset");
    },
    async stop() {
      admin.destroy();
      const exited = new Promise((resolve) => child.once("exit", resolve));
      child.disconnect();
      await exited;
    },
  };
}

function askOver(child: ChildProcess) {
  let nextId = 0;
  return (type: ServerRequest["type"]) =>
    new Promise<Extract<ServerReply, { type: "counts" }>>((resolve) => {
      const id = nextId++;
      const listen = (message: ServerReply) => {
        if (message.type !== "counts" || message.id !== id) return;
        child.off("message", listen);
        resolve(message);
      };
      child.on("message", listen);
      child.send({ type, id } satisfies ServerRequest);
    });
}
