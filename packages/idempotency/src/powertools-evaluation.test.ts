// What Powertools idempotency does on its own with a job-shaped function, on dynalite: the
// reasons this package wraps it. If one of these starts failing after a Powertools upgrade,
// the matching workaround in `idempotent` may be removable.
import { IdempotencyConfig, makeIdempotent } from "@aws-lambda-powertools/idempotency";
import { DynamoDBPersistenceLayer } from "@aws-lambda-powertools/idempotency/dynamodb";
import { isJobError } from "@glasswork/core";
import type { Context } from "aws-lambda";
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it, vi } from "vitest";
import { recordId, startTestDynamo, type TestDynamo } from "./test-dynalite.js";
import { deferred } from "./test-world.js";

let dynamo: TestDynamo;
beforeAll(async () => {
  dynamo = await startTestDynamo();
});
afterAll(async () => {
  await dynamo.close();
});
// Without a Lambda context Powertools warns on every run; that is one of the findings below.
beforeEach(() => {
  vi.spyOn(console, "warn").mockImplementation(() => {});
});
afterEach(() => {
  vi.restoreAllMocks();
  vi.useRealTimers();
});

async function layer(): Promise<{ table: string; layer: DynamoDBPersistenceLayer }> {
  const table = await dynamo.createTable();
  return {
    table,
    layer: new DynamoDBPersistenceLayer({ tableName: table, awsSdkV3Client: dynamo.client }),
  };
}

describe("Powertools idempotency without this package", () => {
  it("takes no in-progress lock when no Lambda context is registered", async () => {
    const { table, layer: persistenceStore } = await layer();
    let seen: Record<string, unknown> | undefined;
    const run = makeIdempotent(
      async (_input: { key: string }) => {
        seen = await dynamo.getItem(table, recordId("job", "k-1"));
      },
      {
        persistenceStore,
        keyPrefix: "job",
        config: new IdempotencyConfig({ eventKeyJmesPath: "key" }),
      },
    );
    await run({ key: "k-1" });
    // A worker that died here would hold the key until `expiration` (1 h by default).
    expect(seen).toMatchObject({ status: "INPROGRESS" });
    expect(seen).not.toHaveProperty("in_progress_expiration");
  });

  it("reads a COMPLETED record without an expiry as a finished job and skips the run", async () => {
    const { table, layer: persistenceStore } = await layer();
    await dynamo.putItem(table, { id: recordId("job", "k-2"), status: "COMPLETED" });
    let runs = 0;
    const run = makeIdempotent(
      async (_input: { key: string }) => {
        runs++;
      },
      {
        persistenceStore,
        keyPrefix: "job",
        config: new IdempotencyConfig({ eventKeyJmesPath: "key" }),
      },
    );
    await run({ key: "k-2" });
    expect(runs).toBe(0);
  });

  it("throws plain errors, which a worker would retry, for a payload mismatch", async () => {
    const { layer: persistenceStore } = await layer();
    const run = makeIdempotent(async (_input: { key: string; amount: number }) => {}, {
      persistenceStore,
      keyPrefix: "job",
      config: new IdempotencyConfig({
        eventKeyJmesPath: "key",
        payloadValidationJmesPath: "amount",
      }),
    });
    await run({ key: "k-3", amount: 1 });
    const error = await run({ key: "k-3", amount: 2 }).catch((e: unknown) => e);
    expect((error as Error).name).toBe("IdempotencyValidationError");
    expect(isJobError(error)).toBe(false);
  });

  it("releases a key it no longer holds: a run that outlived its lock deletes the next run's record", async () => {
    const { table, layer: persistenceStore } = await layer();
    vi.useFakeTimers({ toFake: ["Date"], now: Date.parse("2026-12-01T10:00:00Z") });
    const gates = [deferred(), deferred()];
    const started = [deferred(), deferred()];
    let runs = 0;
    const run = makeIdempotent(
      async (_input: { key: string }) => {
        const n = runs++;
        started[n]?.resolve();
        await gates[n]?.promise;
        if (n === 0) throw new Error("late failure");
      },
      {
        persistenceStore,
        keyPrefix: "job",
        config: new IdempotencyConfig({
          eventKeyJmesPath: "key",
          lambdaContext: { getRemainingTimeInMillis: () => 60_000 } as unknown as Context,
        }),
      },
    );
    const first = run({ key: "k-5" }).catch(() => {});
    await started[0]?.promise;
    vi.setSystemTime(Date.now() + 61_000);
    const second = run({ key: "k-5" });
    await started[1]?.promise;
    gates[0]?.resolve();
    await first;
    // The second run is still going, and its record is gone: a third run could start now.
    expect(await dynamo.getItem(table, recordId("job", "k-5"))).toBeUndefined();
    gates[1]?.resolve();
    await second;
    vi.useRealTimers();
  });

  it("replaces the handler's error with its own when the key cannot be released", async () => {
    const { layer: persistenceStore } = await layer();
    const run = makeIdempotent(
      async (_input: { key: string }) => {
        await dynamo.cut();
        throw new Error("card declined");
      },
      {
        persistenceStore,
        keyPrefix: "job",
        config: new IdempotencyConfig({ eventKeyJmesPath: "key" }),
      },
    );
    const error = await run({ key: "k-4" })
      .catch((e: unknown) => e)
      .finally(() => dynamo.restore());
    expect((error as Error).name).toBe("IdempotencyPersistenceLayerError");
    expect((error as Error).message).not.toContain("card declined");
  });
});
