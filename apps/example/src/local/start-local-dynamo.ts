import type { AddressInfo } from "node:net";
import { DynamoDBClient } from "@aws-sdk/client-dynamodb";
import { createAppTable } from "../store/app-table.js";
import { loadDynalite } from "./load-dynalite.js";

/** A DynamoDB-compatible server (dynalite, in memory) running inside this process. */
export interface LocalDynamo {
  readonly endpoint: string;
  readonly tableName: string;
  stop(): Promise<void>;
}

/**
 * Starts dynalite on 127.0.0.1 (a random port unless given), in memory, and creates the app's
 * table. The data lives as long as the process.
 */
export async function startLocalDynamo(
  options: { port?: number; region?: string; tableName?: string } = {},
): Promise<LocalDynamo> {
  const server = loadDynalite()({ createTableMs: 0 });
  await new Promise<void>((resolve, reject) => {
    server.once("error", reject);
    // Never 0.0.0.0: the local store is for this machine only.
    server.listen(options.port ?? 0, "127.0.0.1", () => resolve());
  });
  const endpoint = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  const tableName = options.tableName ?? "glasswork-example";
  const stop = () => new Promise<void>((resolve) => server.close(() => resolve()));
  const client = new DynamoDBClient({
    endpoint,
    region: options.region ?? "us-east-1",
    credentials: { accessKeyId: "local", secretAccessKey: "local" },
  });
  try {
    await createAppTable(client, tableName);
  } catch (error) {
    await stop();
    throw error;
  } finally {
    client.destroy();
  }
  return { endpoint, tableName, stop };
}
