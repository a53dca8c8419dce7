import {
  CreateTableCommand,
  DescribeTableCommand,
  type DynamoDBClient,
} from "@aws-sdk/client-dynamodb";

/**
 * The app's one DynamoDB table (single-table design). Base keys `pk`/`sk`; one global secondary
 * index `gsi1` (`gsi1pk`/`gsi1sk`) for the lists. `template.yaml` declares the same table (a test
 * compares them).
 *
 * | item | pk | sk | gsi1pk | gsi1sk |
 * |---|---|---|---|---|
 * | user | `USER#<id>` | `USER` | `USERS` | `<id>` |
 * | email claim (unique emails) | `EMAIL#<email>` | `EMAIL` | | |
 * | outbox email | `OUTBOX#<jobId>` | `OUTBOX` | `OUTBOX#<kind>` | `<createdAt>#<jobId>` |
 * | account balance | `ACCOUNT#<id>` | `BALANCE` | | |
 * | processed transaction | `ACCOUNT#<id>` | `TX#<transactionId>` | | |
 * | image (thumbnail made) | `IMAGE#<storageKey>` | `IMAGE` | | |
 */
export const APP_TABLE = {
  keys: [
    { AttributeName: "pk", KeyType: "HASH" },
    { AttributeName: "sk", KeyType: "RANGE" },
  ],
  index: {
    IndexName: "gsi1",
    KeySchema: [
      { AttributeName: "gsi1pk", KeyType: "HASH" },
      { AttributeName: "gsi1sk", KeyType: "RANGE" },
    ],
    Projection: { ProjectionType: "ALL" },
  },
  attributes: ["pk", "sk", "gsi1pk", "gsi1sk"].map((name) => ({
    AttributeName: name,
    AttributeType: "S" as const,
  })),
} as const;

/** Creates the app's table (for the embedded DynamoDB; on AWS the template does) and waits until it is ACTIVE. */
export async function createAppTable(client: DynamoDBClient, tableName: string): Promise<void> {
  await client.send(
    new CreateTableCommand({
      TableName: tableName,
      AttributeDefinitions: [...APP_TABLE.attributes],
      KeySchema: [...APP_TABLE.keys],
      GlobalSecondaryIndexes: [{ ...APP_TABLE.index, KeySchema: [...APP_TABLE.index.KeySchema] }],
      BillingMode: "PAY_PER_REQUEST",
    }),
  );
  // dynalite answers CreateTable while the table is CREATING, and such a table refuses reads and writes.
  for (let tries = 0; tries < 200; tries++) {
    const { Table } = await client.send(new DescribeTableCommand({ TableName: tableName }));
    const indexesActive = (Table?.GlobalSecondaryIndexes ?? []).every(
      (i) => i.IndexStatus === "ACTIVE",
    );
    if (Table?.TableStatus === "ACTIVE" && indexesActive) return;
    await new Promise((resolve) => setTimeout(resolve, 5));
  }
  throw new Error(`table ${tableName} did not become ACTIVE`);
}
