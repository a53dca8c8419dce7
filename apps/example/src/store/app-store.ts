import {
  type AttributeValue,
  BatchWriteItemCommand,
  type DynamoDBClient,
  GetItemCommand,
  PutItemCommand,
  QueryCommand,
  type QueryCommandInput,
  UpdateItemCommand,
  type WriteRequest,
} from "@aws-sdk/client-dynamodb";
import { marshall, unmarshall } from "@aws-sdk/util-dynamodb";
import { PermanentJobError } from "@glasswork/core";
import * as v from "valibot";
import { type ItemKey, MalformedRecordError, StoreUnavailableError } from "./store-errors.js";

/** A user of the example app. */
export interface User {
  id: string;
  email: string;
  name: string;
}

/** The kinds of email the jobs write. */
export const EMAIL_KINDS = ["welcome", "newsletter"] as const;
/** One of {@link EMAIL_KINDS}. */
export type EmailKind = (typeof EMAIL_KINDS)[number];

/** An email "sent" by a job: written to the outbox instead of SMTP. */
export interface OutboxEmail {
  jobId: string;
  kind: EmailKind;
  userId: string;
  subject: string;
  createdAt: string;
}

/** What the image job records once it made a thumbnail. */
export interface ImageRecord {
  storageKey: string;
  thumbnailKey: string;
  /** The attempt that made it (1 = first try). */
  attempts: number;
  format: string;
  bytes: number;
}

/** A credit recorded for an account, keyed by its transaction id. */
export interface ProcessedTransaction {
  accountId: string;
  transactionId: string;
  amountCents: number;
}

const UserItem = v.object({ id: v.string(), email: v.string(), name: v.string() });
const ClaimItem = v.object({ userId: v.string(), claimedAt: v.number() });
const OutboxItem = v.object({
  jobId: v.string(),
  kind: v.picklist(EMAIL_KINDS),
  userId: v.string(),
  subject: v.string(),
  createdAt: v.string(),
});
const BalanceItem = v.object({ balanceCents: v.pipe(v.number(), v.integer()) });
const TransactionItem = v.object({
  accountId: v.string(),
  transactionId: v.string(),
  amountCents: v.pipe(v.number(), v.integer()),
});
const ImageItem = v.object({
  storageKey: v.string(),
  thumbnailKey: v.string(),
  attempts: v.pipe(v.number(), v.integer()),
  format: v.string(),
  bytes: v.number(),
});

const key = {
  user: (id: string): ItemKey => ({ pk: `USER#${id}`, sk: "USER" }),
  email: (email: string): ItemKey => ({ pk: `EMAIL#${email.toLowerCase()}`, sk: "EMAIL" }),
  outbox: (jobId: string): ItemKey => ({ pk: `OUTBOX#${jobId}`, sk: "OUTBOX" }),
  balance: (accountId: string): ItemKey => ({ pk: `ACCOUNT#${accountId}`, sk: "BALANCE" }),
  transaction: (accountId: string, transactionId: string): ItemKey => ({
    pk: `ACCOUNT#${accountId}`,
    sk: `TX#${transactionId}`,
  }),
  image: (storageKey: string): ItemKey => ({ pk: `IMAGE#${storageKey}`, sk: "IMAGE" }),
};

// An email claim older than this whose user item is missing is left over from a sign-up that
// failed between its two writes, and may be taken over.
const ORPHAN_CLAIM_MS = 60_000;
const BATCH_WRITE_SIZE = 25; // DynamoDB's limit per BatchWriteItem
const BATCH_CONCURRENCY = 8;

/**
 * The app's data in one DynamoDB table ({@link APP_TABLE}). Every failure to reach the table is a
 * {@link StoreUnavailableError} (transient: the job retries); an item of the wrong shape is a
 * {@link MalformedRecordError} naming its key (permanent).
 *
 * Writes that a redelivered job repeats are conditional, so they take effect once.
 */
export class AppStore {
  constructor(
    private readonly client: DynamoDBClient,
    readonly tableName: string,
  ) {}

  /** Creates a user; resolves `false` when another user has this email. */
  async createUser(user: User, now = Date.now()): Promise<boolean> {
    // No transactions: the email claim and the user are two conditional writes, claim first, so
    // two users never share an email. A claim left by a sign-up that failed between the two is
    // taken over once it is old enough that its writer is surely gone.
    const claimKey = key.email(user.email);
    const claim = { userId: user.id, claimedAt: now };
    if (!(await this.putIfAbsent(claimKey, claim))) {
      const existing = await this.get(claimKey, ClaimItem);
      if (!existing) return this.createUser(user, now);
      const owner = await this.get(key.user(existing.userId), UserItem);
      if (owner || now - existing.claimedAt < ORPHAN_CLAIM_MS) return false;
      const taken = await this.write("PutItem", claimKey, () =>
        this.client.send(
          new PutItemCommand({
            TableName: this.tableName,
            Item: marshall({ ...claimKey, ...claim }),
            ConditionExpression: "userId = :old",
            ExpressionAttributeValues: marshall({ ":old": existing.userId }),
          }),
        ),
      );
      if (!taken) return false;
    }
    const userKey = key.user(user.id);
    await this.putIfAbsent(userKey, { ...user, gsi1pk: "USERS", gsi1sk: user.id });
    return true;
  }

  async findUser(id: string): Promise<User | undefined> {
    return this.get(key.user(id), UserItem);
  }

  /** Every user id, in id order. */
  async userIds(): Promise<string[]> {
    const ids: string[] = [];
    for await (const item of this.query({
      IndexName: "gsi1",
      KeyConditionExpression: "gsi1pk = :users",
      ExpressionAttributeValues: marshall({ ":users": "USERS" }),
      ProjectionExpression: "id",
    })) {
      ids.push(String(item.id));
    }
    return ids;
  }

  async countUsers(): Promise<number> {
    return this.count({
      IndexName: "gsi1",
      KeyConditionExpression: "gsi1pk = :users",
      ExpressionAttributeValues: marshall({ ":users": "USERS" }),
    });
  }

  /** Adds (or overwrites) the subscribers `seed-00001`…, 25 users per BatchWriteItem request. */
  async seedUsers(count: number): Promise<void> {
    const requests: WriteRequest[] = [];
    for (let i = 1; i <= count; i++) {
      const id = `seed-${String(i).padStart(5, "0")}`;
      const user = { id, email: `${id}@example.com`, name: `Subscriber ${i}` };
      requests.push(
        {
          PutRequest: { Item: marshall({ ...key.user(id), ...user, gsi1pk: "USERS", gsi1sk: id }) },
        },
        { PutRequest: { Item: marshall({ ...key.email(user.email), userId: id, claimedAt: 0 }) } },
      );
    }
    await this.batchWrite(requests);
  }

  /** Writes an email once per job id; resolves `false` when this job already wrote it. */
  async addToOutbox(
    email: Omit<OutboxEmail, "createdAt">,
    createdAt = new Date().toISOString(),
  ): Promise<boolean> {
    return this.putIfAbsent(key.outbox(email.jobId), {
      ...email,
      createdAt,
      gsi1pk: `OUTBOX#${email.kind}`,
      gsi1sk: `${createdAt}#${email.jobId}`,
    });
  }

  /** The newest emails first, of one kind or of all. */
  async outbox(kind?: EmailKind, limit = 20): Promise<OutboxEmail[]> {
    const emails: OutboxEmail[] = [];
    for (const k of kind ? [kind] : EMAIL_KINDS) {
      for await (const item of this.query(
        {
          IndexName: "gsi1",
          KeyConditionExpression: "gsi1pk = :kind",
          ExpressionAttributeValues: marshall({ ":kind": `OUTBOX#${k}` }),
          ScanIndexForward: false,
          Limit: limit,
        },
        limit,
      )) {
        emails.push(parse(item, OutboxItem));
      }
    }
    return emails.sort((a, b) => b.createdAt.localeCompare(a.createdAt)).slice(0, limit);
  }

  async countOutbox(kind: EmailKind): Promise<number> {
    return this.count({
      IndexName: "gsi1",
      KeyConditionExpression: "gsi1pk = :kind",
      ExpressionAttributeValues: marshall({ ":kind": `OUTBOX#${kind}` }),
    });
  }

  /** Removes emails older than `days`; returns how many. */
  async deleteOldOutbox(days: number, now = Date.now()): Promise<number> {
    const cutoff = new Date(now - days * 86_400_000).toISOString();
    const deletes: WriteRequest[] = [];
    for (const kind of EMAIL_KINDS) {
      for await (const item of this.query({
        IndexName: "gsi1",
        KeyConditionExpression: "gsi1pk = :kind AND gsi1sk < :cutoff",
        ExpressionAttributeValues: marshall({ ":kind": `OUTBOX#${kind}`, ":cutoff": cutoff }),
        ProjectionExpression: "pk, sk",
      })) {
        deletes.push({ DeleteRequest: { Key: marshall({ pk: item.pk, sk: item.sk }) } });
      }
    }
    await this.batchWrite(deletes);
    return deletes.length;
  }

  /**
   * Applies a credit exactly once per (account, transaction id), with two conditional writes
   * (DynamoDB can do this in one `TransactWriteItems`; dynalite cannot, and the design does not
   * need it):
   *
   * 1. record the transaction (`ACCOUNT#a` / `TX#t`) unless it exists — if it does with another
   *    amount, that is a different credit reusing the id: a permanent error;
   * 2. add the amount to the balance **and** the transaction id to the balance's set of applied
   *    ids in one `UpdateItem`, on condition that the set does not hold it yet.
   *
   * The condition in step 2 is what makes the credit exactly-once: it sits on the item it
   * changes, so no interleaving of duplicate deliveries adds twice. If the store fails between
   * the two steps, the transaction is recorded but not applied; the job fails (transient), its
   * retry finds the record with the same amount, and step 2 applies it once. Resolves `false`
   * when the credit was already applied.
   *
   * The set grows by one id per credit (an item holds 400 KB: some 6,000 ids of 64 characters);
   * a real ledger would move old ids out once no delivery of them can still arrive.
   */
  async applyCredit(
    accountId: string,
    transactionId: string,
    amountCents: number,
  ): Promise<boolean> {
    const txKey = key.transaction(accountId, transactionId);
    const recorded = { accountId, transactionId, amountCents };
    if (!(await this.putIfAbsent(txKey, { ...recorded, recordedAt: new Date().toISOString() }))) {
      const existing = await this.get(txKey, TransactionItem);
      if (existing && existing.amountCents !== amountCents) {
        throw new PermanentJobError(
          `transaction ${transactionId} of account ${accountId} was recorded for ${existing.amountCents} cents, not ${amountCents}`,
        );
      }
    }
    const balanceKey = key.balance(accountId);
    return this.write("UpdateItem", balanceKey, () =>
      this.client.send(
        new UpdateItemCommand({
          TableName: this.tableName,
          Key: marshall(balanceKey),
          UpdateExpression: "ADD balanceCents :amount, appliedTransactions :ids",
          ConditionExpression: "NOT contains(appliedTransactions, :id)",
          ExpressionAttributeValues: {
            ":amount": { N: String(amountCents) },
            ":ids": { SS: [transactionId] },
            ":id": { S: transactionId },
          },
        }),
      ),
    );
  }

  async balance(accountId: string): Promise<number> {
    return (await this.get(key.balance(accountId), BalanceItem))?.balanceCents ?? 0;
  }

  /** The transactions recorded for an account. */
  async transactions(accountId: string): Promise<ProcessedTransaction[]> {
    const found: ProcessedTransaction[] = [];
    for await (const item of this.query({
      KeyConditionExpression: "pk = :pk AND begins_with(sk, :tx)",
      ExpressionAttributeValues: marshall({ ":pk": `ACCOUNT#${accountId}`, ":tx": "TX#" }),
      ConsistentRead: true,
    })) {
      found.push(parse(item, TransactionItem));
    }
    return found;
  }

  /** Records a made thumbnail (a repeat overwrites it with the same thumbnail). */
  async saveImage(image: ImageRecord): Promise<void> {
    const imageKey = key.image(image.storageKey);
    await this.write("PutItem", imageKey, () =>
      this.client.send(
        new PutItemCommand({
          TableName: this.tableName,
          Item: marshall({ ...imageKey, ...image }),
        }),
      ),
    );
  }

  async image(storageKey: string): Promise<ImageRecord | undefined> {
    return this.get(key.image(storageKey), ImageItem);
  }

  /** Writes `item` unless its key exists; resolves `false` when it did. */
  private putIfAbsent(itemKey: ItemKey, item: Record<string, unknown>): Promise<boolean> {
    return this.write("PutItem", itemKey, () =>
      this.client.send(
        new PutItemCommand({
          TableName: this.tableName,
          Item: marshall({ ...itemKey, ...item }),
          ConditionExpression: "attribute_not_exists(pk)",
        }),
      ),
    );
  }

  private async get<T>(
    itemKey: ItemKey,
    schema: v.GenericSchema<unknown, T>,
  ): Promise<T | undefined> {
    const out = await this.call(`GetItem ${describeKey(itemKey)}`, () =>
      this.client.send(
        new GetItemCommand({
          TableName: this.tableName,
          Key: marshall(itemKey),
          ConsistentRead: true,
        }),
      ),
    );
    return out.Item && parse(unmarshall(out.Item), schema, itemKey);
  }

  /** Runs a conditional write: `true` when written, `false` when its condition failed. */
  private async write(operation: string, itemKey: ItemKey, send: () => Promise<unknown>) {
    try {
      await send();
      return true;
    } catch (error) {
      if ((error as Error).name?.endsWith("ConditionalCheckFailedException")) return false;
      throw new StoreUnavailableError(
        `DynamoDB ${operation} ${describeKey(itemKey)} on ${this.tableName}`,
        error,
      );
    }
  }

  private async call<T>(operation: string, send: () => Promise<T>): Promise<T> {
    try {
      return await send();
    } catch (error) {
      throw new StoreUnavailableError(`DynamoDB ${operation} on ${this.tableName}`, error);
    }
  }

  private async *query(
    input: Omit<QueryCommandInput, "TableName">,
    max = Number.POSITIVE_INFINITY,
  ): AsyncGenerator<Record<string, unknown>> {
    let startKey: Record<string, AttributeValue> | undefined;
    let seen = 0;
    do {
      const out = await this.call(`Query ${String(input.IndexName ?? "table")}`, () =>
        this.client.send(
          new QueryCommand({
            ...input,
            TableName: this.tableName,
            ...(startKey && { ExclusiveStartKey: startKey }),
          }),
        ),
      );
      for (const item of out.Items ?? []) {
        if (seen++ >= max) return;
        yield unmarshall(item);
      }
      startKey = out.LastEvaluatedKey;
    } while (startKey);
  }

  private async count(input: Omit<QueryCommandInput, "TableName">): Promise<number> {
    let total = 0;
    let startKey: Record<string, AttributeValue> | undefined;
    do {
      const out = await this.call(`Query ${String(input.IndexName ?? "table")} (count)`, () =>
        this.client.send(
          new QueryCommand({
            ...input,
            TableName: this.tableName,
            Select: "COUNT",
            ...(startKey && { ExclusiveStartKey: startKey }),
          }),
        ),
      );
      total += out.Count ?? 0;
      startKey = out.LastEvaluatedKey;
    } while (startKey);
    return total;
  }

  /** BatchWriteItem in chunks of 25, a few at a time, re-sending what DynamoDB left unprocessed. */
  private async batchWrite(requests: WriteRequest[]): Promise<void> {
    const chunks: WriteRequest[][] = [];
    for (let i = 0; i < requests.length; i += BATCH_WRITE_SIZE) {
      chunks.push(requests.slice(i, i + BATCH_WRITE_SIZE));
    }
    let next = 0;
    const worker = async () => {
      while (next < chunks.length) {
        let pending = chunks[next++] as WriteRequest[];
        for (let round = 0; pending.length > 0; round++) {
          if (round > 0)
            await new Promise((resolve) => setTimeout(resolve, Math.min(50 * 2 ** round, 2_000)));
          if (round > 10)
            throw new StoreUnavailableError(
              `DynamoDB BatchWriteItem on ${this.tableName}`,
              new Error(`${pending.length} items left unprocessed`),
            );
          const out = await this.call("BatchWriteItem", () =>
            this.client.send(
              new BatchWriteItemCommand({ RequestItems: { [this.tableName]: pending } }),
            ),
          );
          pending = out.UnprocessedItems?.[this.tableName] ?? [];
        }
      }
    };
    await Promise.all(Array.from({ length: BATCH_CONCURRENCY }, worker));
  }
}

function parse<T>(
  item: Record<string, unknown>,
  schema: v.GenericSchema<unknown, T>,
  itemKey: ItemKey = { pk: String(item.pk), sk: String(item.sk) },
): T {
  const result = v.safeParse(schema, item);
  if (result.success) return result.output;
  const problems = result.issues.map((issue) => {
    const path = issue.path?.map((p) => String(p.key)).join(".");
    return path ? `${path}: ${issue.message}` : issue.message;
  });
  throw new MalformedRecordError(itemKey, problems.join("; "));
}

function describeKey(itemKey: ItemKey): string {
  return `${itemKey.pk} / ${itemKey.sk}`;
}
