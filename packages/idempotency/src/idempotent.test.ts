import {
  defineJob,
  type JobContext,
  type Logger,
  PermanentJobError,
  silentLogger,
} from "@glasswork/core";
import * as v from "valibot";
import { afterAll, afterEach, beforeAll, describe, expect, it, vi } from "vitest";
import { createIdempotencyStore } from "./create-idempotency-store.js";
import {
  IdempotencyInProgressError,
  IdempotencyPayloadMismatchError,
  IdempotencyStoreError,
  InvalidIdempotencyKeyError,
  MalformedIdempotencyRecordError,
} from "./errors.js";
import { type IdempotentOptions, idempotent } from "./idempotent.js";
import { recordId, startTestDynamo, type TestDynamo } from "./test-dynalite.js";
import {
  createTestWorld,
  deferred,
  freezeDate,
  lastFailure,
  START,
  type TestWorld,
  waitOutRetry,
} from "./test-world.js";

let dynamo: TestDynamo;
beforeAll(async () => {
  dynamo = await startTestDynamo();
});
afterAll(async () => {
  await dynamo.close();
});
afterEach(() => {
  vi.useRealTimers();
});

const order = v.object({ orderId: v.string(), cents: v.number() });
type Order = v.InferOutput<typeof order>;

/** What a test changes in the job {@link defineChargeOrder} defines. */
interface ChargeOrderVariant {
  /** The job's `unique` option: enqueues with the same key share a job id. */
  unique?: { key: (payload: Order) => string };
  /** `idempotent`'s options besides `store`, which is always the world's. */
  idempotency?: Omit<IdempotentOptions<Order>, "store">;
  /** The handler's body; `run` is 1 on the handler's first run, 2 on its second. Default: none. */
  body?: (payload: Order, run: number) => Promise<void>;
}

/**
 * The `charge-order` job most tests run: an `idempotent` handler on the world's store, and
 * `runs()`, how many times that handler ran (a repeat the store stops does not count).
 */
function defineChargeOrder(
  world: TestWorld,
  { unique, idempotency, body }: ChargeOrderVariant = {},
) {
  let runs = 0;
  const chargeOrder = defineJob({
    name: "charge-order",
    schema: order,
    ...(unique !== undefined && { unique }),
    handler: idempotent(
      async (payload: Order) => {
        const run = ++runs;
        await body?.(payload, run);
      },
      { store: world.store, ...idempotency },
    ),
  });
  return { chargeOrder, runs: () => runs };
}

describe("idempotent, through the worker on dynalite", () => {
  it("runs a completed job once: a redelivery completes without running and its message is deleted", async () => {
    const world = await createTestWorld(dynamo);
    const charges: string[] = [];
    const { chargeOrder } = defineChargeOrder(world, {
      unique: { key: (p) => `charge-${p.orderId}` },
      body: async ({ orderId }) => {
        charges.push(orderId);
      },
    });
    world.serve([chargeOrder]);

    await world.jobs.enqueue(chargeOrder, { orderId: "o-1", cents: 100 });
    expect(await world.drain()).toEqual({ batches: 1, done: 1, failed: 0 });
    // The same unique key: the same job id, a second message (a standard queue delivers both).
    await world.jobs.enqueue(chargeOrder, { orderId: "o-1", cents: 100 });
    expect(await world.drain()).toEqual({ batches: 1, done: 1, failed: 0 });

    expect(charges).toEqual(["o-1"]);
    expect(world.deliveries).toEqual(["charge-o-1", "charge-o-1"]);
    expect(world.completed).toEqual(["charge-o-1", "charge-o-1"]);
    expect(world.failures).toEqual([]);
    expect(await world.driver.stats("default")).toEqual({ visible: 0, inFlight: 0, delayed: 0 });
    expect(await dynamo.getItem(world.table, recordId("charge-order", "charge-o-1"))).toMatchObject(
      { status: "COMPLETED" },
    );
  });

  it("lets one of five simultaneous deliveries run; the others retry later and complete without running", async () => {
    const world = await createTestWorld(dynamo);
    const copies = 5;
    const effects: string[] = [];
    const othersBounced = deferred();
    let bounced = 0;
    const { chargeOrder, runs } = defineChargeOrder(world, {
      unique: { key: (p) => `charge-${p.orderId}` },
      body: async ({ orderId }) => {
        // Hold the key until every other copy has tried it, so they truly overlap.
        await othersBounced.promise;
        effects.push(orderId);
      },
    });
    world.serve(
      [chargeOrder],
      [
        {
          onJobFailed: (_execution, _ctx, failure) => {
            if (failure.error instanceof IdempotencyInProgressError && ++bounced === copies - 1) {
              othersBounced.resolve();
            }
          },
        },
      ],
    );
    for (let i = 0; i < copies; i++) {
      await world.jobs.enqueue(chargeOrder, { orderId: "o-7", cents: 700 });
    }

    expect(await world.drain()).toEqual({ batches: 1, done: 1, failed: copies - 1 });
    expect(runs()).toBe(1);
    expect(world.failures).toHaveLength(copies - 1);
    for (const { failure } of world.failures) {
      expect(failure.error).toBeInstanceOf(IdempotencyInProgressError);
      expect((failure.error as Error).message).toContain('idempotency key "charge-o-7"');
      expect(failure.willRetry).toBe(true);
      // Retried when the running copy's lock (15 min by default) would have expired.
      expect(failure.retryDelaySeconds).toBeGreaterThan(0);
      expect(failure.retryDelaySeconds).toBeLessThanOrEqual(900);
    }

    // They wait in the queue through their visibility timeout, not in the worker.
    expect(await world.drain()).toEqual({ batches: 0, done: 0, failed: 0 });
    world.clock.advance("15m");
    expect(await world.drain()).toEqual({ batches: 1, done: copies - 1, failed: 0 });

    const figures = { deliveries: world.deliveries.length, runs: runs(), effects: effects.length };
    expect(figures).toEqual({ deliveries: 9, runs: 1, effects: 1 });
    expect(world.completed).toHaveLength(copies);
    expect(world.driver.deadLetters).toEqual([]);
    expect(await world.driver.stats("default")).toEqual({ visible: 0, inFlight: 0, delayed: 0 });
  });

  it("releases the key when the handler throws, so the retry runs", async () => {
    const world = await createTestWorld(dynamo);
    const effects: string[] = [];
    const { chargeOrder, runs } = defineChargeOrder(world, {
      unique: { key: (p) => p.orderId },
      body: async ({ orderId }, run) => {
        if (run === 1) throw new Error("card network timeout");
        effects.push(orderId);
      },
    });
    world.serve([chargeOrder]);
    const { jobId } = await world.jobs.enqueue(chargeOrder, { orderId: "o-2", cents: 200 });

    expect(await world.drain()).toEqual({ batches: 1, done: 0, failed: 1 });
    expect((lastFailure(world).error as Error).message).toBe("card network timeout");
    expect(lastFailure(world).willRetry).toBe(true);
    expect(await dynamo.getItem(world.table, recordId("charge-order", jobId))).toBeUndefined();

    waitOutRetry(world);
    expect(await world.drain()).toEqual({ batches: 1, done: 1, failed: 0 });
    expect(runs()).toBe(2);
    expect(effects).toEqual(["o-2"]);
    await world.jobs.enqueue(chargeOrder, { orderId: "o-2", cents: 200 });
    expect(await world.drain()).toEqual({ batches: 1, done: 1, failed: 0 });
    expect(runs()).toBe(2);
  });

  it("dead-letters a handler's PermanentJobError as it is, and releases the key", async () => {
    const world = await createTestWorld(dynamo);
    const { chargeOrder } = defineChargeOrder(world, {
      body: async () => {
        throw new PermanentJobError("card declined");
      },
    });
    world.serve([chargeOrder]);
    const { jobId } = await world.jobs.enqueue(chargeOrder, { orderId: "o-3", cents: 300 });

    await world.drain();
    expect(world.driver.deadLetters).toHaveLength(1);
    expect(world.driver.deadLetters[0]?.error).toContain("card declined");
    expect(await dynamo.getItem(world.table, recordId("charge-order", jobId))).toBeUndefined();
  });

  it("runs the next delivery once a frozen worker's in-progress lock expires", async () => {
    const date = freezeDate();
    const world = await createTestWorld(dynamo);
    const effects: string[] = [];
    const stuck = deferred();
    const { chargeOrder, runs } = defineChargeOrder(world, {
      idempotency: { lockTimeout: "2m" },
      body: async ({ orderId }, run) => {
        if (run === 1) {
          stuck.resolve();
          // The first worker never returns: from the store's side, a worker that died.
          await new Promise(() => {});
        }
        effects.push(orderId);
      },
    });
    world.serve([chargeOrder]);
    const { jobId } = await world.jobs.enqueue(chargeOrder, { orderId: "o-4", cents: 400 });

    void world.drain();
    await stuck.promise;
    expect(await dynamo.getItem(world.table, recordId("charge-order", jobId))).toMatchObject({
      status: "INPROGRESS",
      in_progress_expiration: START + 120_000,
    });

    world.clock.advance("31s"); // the message's visibility timeout: SQS delivers it again
    expect(await world.drain()).toEqual({ batches: 1, done: 0, failed: 1 });
    expect(lastFailure(world).error).toBeInstanceOf(IdempotencyInProgressError);
    expect(lastFailure(world).retryDelaySeconds).toBe(120);
    expect(runs()).toBe(1);

    date.advance(121);
    waitOutRetry(world);
    expect(await world.drain()).toEqual({ batches: 1, done: 1, failed: 0 });
    expect(runs()).toBe(2);
    expect(effects).toEqual(["o-4"]);
    expect(await dynamo.getItem(world.table, recordId("charge-order", jobId))).toMatchObject({
      status: "COMPLETED",
    });
  });

  it.each([
    ["fails", "the release"],
    ["completes", "the completion"],
  ])(
    "a run that outlives its lock and then %s leaves the next delivery's record alone (%s is conditional)",
    async (ending) => {
      const date = freezeDate();
      const world = await createTestWorld(dynamo);
      const gates = [deferred(), deferred()];
      const started = [deferred(), deferred()];
      const { chargeOrder, runs } = defineChargeOrder(world, {
        unique: { key: (p) => p.orderId },
        idempotency: { lockTimeout: "1m" },
        body: async (_payload, run) => {
          if (run > 2) throw new Error("a third run");
          started[run - 1]?.resolve();
          await gates[run - 1]?.promise;
          if (run === 1 && ending === "fails") throw new Error("late failure");
        },
      });
      world.serve([chargeOrder]);
      const id = recordId("charge-order", "o-14");

      await world.jobs.enqueue(chargeOrder, { orderId: "o-14", cents: 1 });
      const first = world.drain();
      await started[0]?.promise;
      date.advance(61); // the first run is still going, but its lock has expired
      await world.jobs.enqueue(chargeOrder, { orderId: "o-14", cents: 1 });
      const second = world.drain();
      await started[1]?.promise;
      const secondLock = { status: "INPROGRESS", in_progress_expiration: START + 61_000 + 60_000 };
      expect(await dynamo.getItem(world.table, id)).toMatchObject(secondLock);

      gates[0]?.resolve();
      await first;
      expect(await dynamo.getItem(world.table, id)).toMatchObject(secondLock);
      await world.jobs.enqueue(chargeOrder, { orderId: "o-14", cents: 1 });
      expect(await world.drain()).toEqual({ batches: 1, done: 0, failed: 1 });
      expect(lastFailure(world).error).toBeInstanceOf(IdempotencyInProgressError);

      gates[1]?.resolve();
      expect(await second).toEqual({ batches: 1, done: 1, failed: 0 });
      expect(await dynamo.getItem(world.table, id)).toMatchObject({ status: "COMPLETED" });
      expect(runs()).toBe(2);
    },
  );

  it("dead-letters the same key with a different payload, naming the key", async () => {
    const world = await createTestWorld(dynamo);
    const charges: number[] = [];
    const { chargeOrder } = defineChargeOrder(world, {
      idempotency: { key: (p) => p.orderId },
      body: async ({ cents }) => {
        charges.push(cents);
      },
    });
    world.serve([chargeOrder]);

    await world.jobs.enqueue(chargeOrder, { orderId: "o-9", cents: 900 });
    await world.jobs.enqueue(chargeOrder, { orderId: "o-9", cents: 900 }); // another job, same order
    expect(await world.drain()).toEqual({ batches: 1, done: 2, failed: 0 });
    await world.jobs.enqueue(chargeOrder, { orderId: "o-9", cents: 901 });
    await world.drain();

    expect(charges).toEqual([900]);
    expect(lastFailure(world).error).toBeInstanceOf(IdempotencyPayloadMismatchError);
    expect(lastFailure(world).error).toBeInstanceOf(PermanentJobError);
    expect(lastFailure(world).willRetry).toBe(false);
    expect(world.driver.deadLetters).toHaveLength(1);
    expect(world.driver.deadLetters[0]?.error).toContain(
      'Idempotency key "o-9" was already used with a different payload',
    );
    expect(world.driver.deadLetters[0]?.payload).toEqual({ orderId: "o-9", cents: 901 });
  });

  it("compares only what validatePayload returns", async () => {
    const world = await createTestWorld(dynamo);
    const runs: string[] = [];
    const note = v.object({ orderId: v.string(), cents: v.number(), note: v.string() });
    const chargeOrder = defineJob({
      name: "charge-order",
      schema: note,
      handler: idempotent(
        async (p) => {
          runs.push(p.note);
        },
        { store: world.store, key: (p) => p.orderId, validatePayload: (p) => p.cents },
      ),
    });
    world.serve([chargeOrder]);
    await world.jobs.enqueue(chargeOrder, { orderId: "o-10", cents: 1, note: "first" });
    await world.drain();
    await world.jobs.enqueue(chargeOrder, { orderId: "o-10", cents: 1, note: "second" });
    await world.drain();
    expect(world.driver.deadLetters).toEqual([]);
    await world.jobs.enqueue(chargeOrder, { orderId: "o-10", cents: 2, note: "third" });
    await world.drain();
    expect(runs).toEqual(["first"]);
    expect(world.driver.deadLetters).toHaveLength(1);
  });

  it("keeps a record for expiresAfter, then lets the job run again", async () => {
    const date = freezeDate();
    const world = await createTestWorld(dynamo);
    const { chargeOrder, runs } = defineChargeOrder(world, {
      unique: { key: (p) => p.orderId },
      idempotency: { expiresAfter: "1h" },
    });
    world.serve([chargeOrder]);

    await world.jobs.enqueue(chargeOrder, { orderId: "o-11", cents: 1 });
    await world.drain();
    expect(await dynamo.getItem(world.table, recordId("charge-order", "o-11"))).toMatchObject({
      status: "COMPLETED",
      expiration: START / 1000 + 3600,
    });

    date.advance(3599);
    await world.jobs.enqueue(chargeOrder, { orderId: "o-11", cents: 1 });
    await world.drain();
    expect(runs()).toBe(1);

    date.advance(2);
    await world.jobs.enqueue(chargeOrder, { orderId: "o-11", cents: 1 });
    await world.drain();
    expect(runs()).toBe(2);
    expect(world.completed).toHaveLength(3);
  });

  it("keys records by job name, so two jobs can share a business key", async () => {
    const world = await createTestWorld(dynamo);
    const ran: string[] = [];
    const byOrder = { store: world.store, key: (p: { orderId: string }) => p.orderId };
    const charge = defineJob({
      name: "charge-order",
      schema: order,
      handler: idempotent(async () => void ran.push("charge"), byOrder),
    });
    const ship = defineJob({
      name: "ship-order",
      schema: order,
      handler: idempotent(async () => void ran.push("ship"), byOrder),
    });
    world.serve([charge, ship]);
    await world.jobs.enqueue(charge, { orderId: "o-12", cents: 1 });
    await world.jobs.enqueue(ship, { orderId: "o-12", cents: 1 });
    await world.drain();
    await world.jobs.enqueue(ship, { orderId: "o-12", cents: 1 });
    await world.drain();

    expect(ran.sort()).toEqual(["charge", "ship"]);
    expect(await dynamo.getItem(world.table, recordId("charge-order", "o-12"))).toBeDefined();
    expect(await dynamo.getItem(world.table, recordId("ship-order", "o-12"))).toBeDefined();
  });

  it("dead-letters a job whose key function returns no key", async () => {
    const world = await createTestWorld(dynamo);
    const { chargeOrder } = defineChargeOrder(world, { idempotency: { key: () => "" } });
    world.serve([chargeOrder]);
    await world.jobs.enqueue(chargeOrder, { orderId: "o-13", cents: 1 });
    await world.drain();
    expect(lastFailure(world).error).toBeInstanceOf(InvalidIdempotencyKeyError);
    expect(world.driver.deadLetters[0]?.error).toContain(
      'Job "charge-order" has no usable idempotency key: the key function returned an empty string',
    );
  });
});

describe("idempotent on bad input: the store fails, a record is malformed", () => {
  it("retries a job whose store is unreachable before it runs, and runs it once when it is back", async () => {
    const world = await createTestWorld(dynamo);
    const { chargeOrder, runs } = defineChargeOrder(world, { unique: { key: (p) => p.orderId } });
    world.serve([chargeOrder]);
    await world.jobs.enqueue(chargeOrder, { orderId: "o-20", cents: 1 });

    await dynamo.cut();
    try {
      expect(await world.drain()).toEqual({ batches: 1, done: 0, failed: 1 });
    } finally {
      await dynamo.restore();
    }
    expect(runs()).toBe(0);
    expect(lastFailure(world).error).toBeInstanceOf(IdempotencyStoreError);
    expect((lastFailure(world).error as Error).message).toMatch(
      /^Idempotency store failed for key "o-20": .*ECONNREFUSED.*; the job did not run$/,
    );
    expect(lastFailure(world).willRetry).toBe(true);

    waitOutRetry(world);
    expect(await world.drain()).toEqual({ batches: 1, done: 1, failed: 0 });
    await world.jobs.enqueue(chargeOrder, { orderId: "o-20", cents: 1 });
    expect(await world.drain()).toEqual({ batches: 1, done: 1, failed: 0 });
    expect(runs()).toBe(1);
    expect(world.driver.deadLetters).toEqual([]);
  });

  it("does not run a job again while its lock holds when the store went away after it ran", async () => {
    const date = freezeDate();
    const world = await createTestWorld(dynamo);
    const { chargeOrder, runs } = defineChargeOrder(world, {
      unique: { key: (p) => p.orderId },
      idempotency: { lockTimeout: "5m" },
      body: async (_payload, run) => {
        if (run === 1) await dynamo.cut();
      },
    });
    world.serve([chargeOrder]);
    await world.jobs.enqueue(chargeOrder, { orderId: "o-21", cents: 1 });

    try {
      expect(await world.drain()).toEqual({ batches: 1, done: 0, failed: 1 });
    } finally {
      await dynamo.restore();
    }
    expect(lastFailure(world).error).toBeInstanceOf(IdempotencyStoreError);
    expect((lastFailure(world).error as Error).message).toContain(
      "the job ran but its completion could not be recorded",
    );
    expect(await dynamo.getItem(world.table, recordId("charge-order", "o-21"))).toMatchObject({
      status: "INPROGRESS",
    });

    waitOutRetry(world);
    expect(await world.drain()).toEqual({ batches: 1, done: 0, failed: 1 });
    expect(lastFailure(world).error).toBeInstanceOf(IdempotencyInProgressError);
    expect(runs()).toBe(1);

    // The limit of a store outside the job's own transaction: once the lock expires the store
    // cannot tell a finished run from a dead one, and the job runs again.
    date.advance(301);
    waitOutRetry(world);
    expect(await world.drain()).toEqual({ batches: 1, done: 1, failed: 0 });
    expect(runs()).toBe(2);
  });

  it("reports the handler's own error when the key cannot be released, and runs the retry after the lock", async () => {
    const date = freezeDate();
    const world = await createTestWorld(dynamo);
    const { chargeOrder, runs } = defineChargeOrder(world, {
      unique: { key: (p) => p.orderId },
      idempotency: { lockTimeout: "5m" },
      body: async (_payload, run) => {
        if (run === 1) {
          await dynamo.cut();
          throw new Error("card network timeout");
        }
      },
    });
    world.serve([chargeOrder]);
    await world.jobs.enqueue(chargeOrder, { orderId: "o-22", cents: 1 });

    try {
      expect(await world.drain()).toEqual({ batches: 1, done: 0, failed: 1 });
    } finally {
      await dynamo.restore();
    }
    expect((lastFailure(world).error as Error).message).toBe("card network timeout");

    waitOutRetry(world);
    await world.drain();
    expect(lastFailure(world).error).toBeInstanceOf(IdempotencyInProgressError);
    expect(runs()).toBe(1);

    date.advance(301);
    waitOutRetry(world);
    expect(await world.drain()).toEqual({ batches: 1, done: 1, failed: 0 });
    expect(runs()).toBe(2);
  });

  it.each([
    ["an unknown status", { status: "DONE", expiration: 4_102_444_800 }, 'status is string "DONE"'],
    [
      "a non-numeric expiry",
      { status: "COMPLETED", expiration: "tomorrow" },
      '"expiration" is string "tomorrow"',
    ],
    ["no expiry", { status: "COMPLETED" }, '"expiration" is missing'],
    [
      "a non-numeric lock",
      { status: "INPROGRESS", expiration: 4_102_444_800, in_progress_expiration: "soon" },
      '"in_progress_expiration" is string "soon"',
    ],
  ])(
    "dead-letters a job whose stored record has %s, naming the key",
    async (_name, item, problem) => {
      const world = await createTestWorld(dynamo);
      const { chargeOrder, runs } = defineChargeOrder(world, {
        idempotency: { key: (p) => p.orderId },
      });
      world.serve([chargeOrder]);
      const id = recordId("charge-order", "o-30");
      await dynamo.putItem(world.table, { id, ...item });
      await world.jobs.enqueue(chargeOrder, { orderId: "o-30", cents: 1 });
      await world.drain();

      expect(runs()).toBe(0);
      expect(lastFailure(world).error).toBeInstanceOf(MalformedIdempotencyRecordError);
      expect(world.driver.deadLetters).toHaveLength(1);
      const message = world.driver.deadLetters[0]?.error ?? "";
      expect(message).toContain(`Malformed idempotency record for key "o-30" (item id "${id}")`);
      expect(message).toContain(problem);
    },
  );
});

function contextFor(jobId: string, logger: Logger = silentLogger): JobContext {
  return {
    jobId,
    jobName: "quote-order",
    queue: "default",
    attempt: 1,
    enqueuedAt: new Date(),
    meta: {},
    logger,
    signal: new AbortController().signal,
    services: undefined,
  };
}

describe("idempotent, called directly", () => {
  it("does not store a result over 300 KB of JSON, logs why, and resolves repeats with undefined", async () => {
    const store = createIdempotencyStore({
      tableName: await dynamo.createTable(),
      client: dynamo.client,
    });
    const warnings: string[] = [];
    const logger: Logger = { ...silentLogger, warn: (_obj, msg) => void warnings.push(msg ?? "") };
    let runs = 0;
    const render = idempotent(
      async () => {
        runs++;
        return "x".repeat(400_000);
      },
      { store },
    );
    expect(await render({}, contextFor("job-41", logger))).toBeUndefined();
    expect(await render({}, contextFor("job-41", logger))).toBeUndefined();
    expect(runs).toBe(1);
    expect(warnings).toEqual([
      "the job's result is not stored because it is 400002 bytes of JSON, over 300000; a repeat resolves with undefined",
    ]);
  });

  it("rejects options it cannot honour", async () => {
    const store = createIdempotencyStore({ tableName: "idempotency", client: dynamo.client });
    expect(() => idempotent(async () => {}, { store, expiresAfter: 0 })).toThrow(
      "expiresAfter must be at least 1 second",
    );
    expect(() => idempotent(async () => {}, { store, lockTimeout: 0 })).toThrow(
      "lockTimeout must be more than 0",
    );
    expect(() => idempotent(async () => {}, { store, lockTimeout: "soon" as "1m" })).toThrow(
      'Invalid duration "soon"',
    );
    expect(() => createIdempotencyStore({ tableName: "" })).toThrow(
      "createIdempotencyStore needs a DynamoDB table name",
    );
  });

  it("resolves a repeat with the stored result without running", async () => {
    const store = createIdempotencyStore({
      tableName: await dynamo.createTable(),
      client: dynamo.client,
    });
    let runs = 0;
    const quote = idempotent(
      async (p: { orderId: string }) => {
        runs++;
        return { quoteId: `${p.orderId}-q${runs}`, cents: 1250, lines: [1, 2] };
      },
      { store },
    );
    const ctx = contextFor("job-40");
    const first = await quote({ orderId: "o-40" }, ctx);
    const second = await quote({ orderId: "o-40" }, { ...ctx, attempt: 2 });
    expect(first).toEqual({ quoteId: "o-40-q1", cents: 1250, lines: [1, 2] });
    expect(second).toEqual(first);
    expect(runs).toBe(1);
  });
});
