import { createHash } from "node:crypto";
import { createRequire, Module } from "node:module";
import type { AddressInfo, Server } from "node:net";
import { dirname, join } from "node:path";
import {
  CreateTableCommand,
  DescribeTableCommand,
  DynamoDBClient,
  GetItemCommand,
  PutItemCommand,
} from "@aws-sdk/client-dynamodb";
import { marshall, unmarshall } from "@aws-sdk/util-dynamodb";
import type dynaliteType from "dynalite";
import { startTestRelay } from "../../core/src/test-tcp-relay.js";

const dynalite = loadDynalite();

/**
 * A DynamoDB protocol server (dynalite, in memory) on 127.0.0.1, reached through a TCP relay
 * that a test can cut and restore: the store becomes unreachable while its data survives
 * (stopping dynalite itself would drop its in-memory tables).
 */
export interface TestDynamo {
  readonly endpoint: string;
  readonly client: DynamoDBClient;
  /** Creates a table with the schema the README documents and returns its name. */
  createTable(): Promise<string>;
  /** The item with this `id`, or undefined. Read directly from dynalite, never through the relay. */
  getItem(table: string, id: string): Promise<Record<string, unknown> | undefined>;
  putItem(table: string, item: Record<string, unknown>): Promise<void>;
  /** Makes the store unreachable: closes the relay and every open connection. */
  cut(): Promise<void>;
  /** Makes it reachable again on the same endpoint. */
  restore(): Promise<void>;
  close(): Promise<void>;
}

/** The partition key Powertools stores for a key under a prefix (md5, base64, of the JSON). */
export function recordId(prefix: string, key: string): string {
  return `${prefix}#${createHash("md5").update(JSON.stringify(key)).digest("base64")}`;
}

const credentials = { accessKeyId: "test", secretAccessKey: "test" };

export async function startTestDynamo(): Promise<TestDynamo> {
  const server = dynalite({ createTableMs: 0 });
  await listen(server, 0);
  const dynaliteEndpoint = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  const direct = new DynamoDBClient({
    endpoint: dynaliteEndpoint,
    region: "us-east-1",
    credentials,
  });
  const relay = await startTestRelay(dynaliteEndpoint);
  const { endpoint } = relay;
  const client = new DynamoDBClient({ endpoint, region: "us-east-1", credentials });
  let tables = 0;

  return {
    endpoint,
    client,
    async createTable() {
      const name = `idempotency-${++tables}`;
      await direct.send(
        new CreateTableCommand({
          TableName: name,
          AttributeDefinitions: [{ AttributeName: "id", AttributeType: "S" }],
          KeySchema: [{ AttributeName: "id", KeyType: "HASH" }],
          BillingMode: "PAY_PER_REQUEST",
        }),
      );
      // dynalite answers CreateTable while the table is CREATING (ACTIVE a tick later, even
      // with createTableMs 0), and a table that is not ACTIVE rejects reads and writes.
      for (let tries = 0; tries < 100; tries++) {
        const { Table } = await direct.send(new DescribeTableCommand({ TableName: name }));
        if (Table?.TableStatus === "ACTIVE") return name;
        await new Promise((resolve) => setTimeout(resolve, 5));
      }
      throw new Error(`table ${name} did not become ACTIVE`);
    },
    async getItem(table, id) {
      const out = await direct.send(
        new GetItemCommand({ TableName: table, Key: marshall({ id }), ConsistentRead: true }),
      );
      return out.Item && unmarshall(out.Item);
    },
    async putItem(table, item) {
      await direct.send(new PutItemCommand({ TableName: table, Item: marshall(item) }));
    },
    cut: relay.cut,
    restore: relay.restore,
    async close() {
      client.destroy();
      direct.destroy();
      await relay.close();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
}

function listen(server: { listen: Server["listen"]; once: Server["once"] }, port: number) {
  return new Promise<void>((resolve, reject) => {
    server.once("error", reject);
    server.listen(port, "127.0.0.1", () => resolve());
  });
}

/**
 * Vitest starts its workers with `--conditions import` (the root config's resolve conditions),
 * and Node applies user conditions to `require()` as well: dynalite's `require("big.js")` would
 * get big.js's ES module, whose namespace is not the constructor dynalite calls. So the CommonJS
 * build is put in the require cache under the path that resolution picks, then dynalite loads.
 */
function loadDynalite(): typeof dynaliteType {
  const requireHere = createRequire(import.meta.url);
  const requireFromDynalite = createRequire(requireHere.resolve("dynalite"));
  const resolvedBig = requireFromDynalite.resolve("big.js");
  if (resolvedBig.endsWith(".mjs")) {
    const cached = new Module(resolvedBig);
    cached.filename = resolvedBig;
    cached.exports = requireFromDynalite(join(dirname(resolvedBig), "big.js"));
    cached.loaded = true;
    requireHere.cache[resolvedBig] = cached;
  }
  return requireHere("dynalite") as typeof dynaliteType;
}
