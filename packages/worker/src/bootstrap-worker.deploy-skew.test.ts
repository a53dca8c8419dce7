import {
  defineJob,
  type JobOptions,
  JobService,
  RetryExhaustedError,
  ValidatorError,
} from "@glasswork/core";
import { describe, expect, it } from "vitest";
import { bootstrapWorker } from "./bootstrap-worker.js";
import { callsOf, lambdaContext, rawEnvelope, setupWorker, sqsEvent } from "./test-harness.js";

// Issue 12 item 13: deploy skew and flaky validators must not dead-letter jobs that would run.

/** A Standard Schema, typed through core (the worker does not depend on the spec package). */
type Schema<T> = NonNullable<JobOptions<T, T>["schema"]>;

const oldKey = { id: "k1", secret: "old-secret-old-secret-old-secret-!" };
const newKey = { id: "k2", secret: "new-secret-new-secret-new-secret-!" };

describe("a schema whose async check throws (its fraud service is down)", () => {
  it("retries the job with backoff instead of dead-lettering it as invalid, and runs it once the check works", async () => {
    let serviceUp = false;
    const ran: string[] = [];
    const schema: Schema<{ card: string }> = {
      "~standard": {
        version: 1,
        vendor: "test",
        validate: async (value: unknown) => {
          if (!serviceUp) throw new Error("connect ECONNREFUSED 10.0.0.7:443");
          return { value: value as { card: string } };
        },
      },
    };
    const charge = defineJob({
      name: "charge",
      schema,
      retry: { maxAttempts: 5, backoff: { base: 1, max: 1, jitter: "none" } },
      handler: ({ card }) => {
        ran.push(card);
      },
    });
    const w = setupWorker({ jobs: [charge] });
    await w.driver.send([
      {
        queue: "default",
        body: rawEnvelope({ id: "c1", name: "charge", payload: { card: "tok_1" } }),
        attributes: {},
      },
    ]);

    const first = await w.invoke();
    expect(first.failed).toHaveLength(1);
    expect(w.driver.deadLetters).toEqual([]);
    const failure = callsOf(w.calls, "onJobFailed")[0]?.args[2] as {
      error: unknown;
      willRetry: boolean;
    };
    expect(failure.willRetry).toBe(true);
    expect(failure.error).toBeInstanceOf(ValidatorError);
    expect(callsOf(w.calls, "onJobStart")).toEqual([]);

    serviceUp = true;
    w.clock.advance(1);
    const second = await w.invoke();
    expect(second.failed).toEqual([]);
    expect(ran).toEqual(["tok_1"]);
  });

  it("dead-letters it (retry-exhausted, the validator's error as cause) when the check keeps throwing", async () => {
    const schema: Schema<unknown> = {
      "~standard": {
        version: 1,
        vendor: "test",
        validate: () => {
          throw new Error("connect ECONNREFUSED 10.0.0.7:443");
        },
      },
    };
    const charge = defineJob({
      name: "charge",
      schema,
      retry: { maxAttempts: 2, backoff: { base: 1, max: 1, jitter: "none" } },
      handler: () => {},
    });
    const w = setupWorker({ jobs: [charge] });
    await w.driver.send([
      {
        queue: "default",
        body: rawEnvelope({ id: "c2", name: "charge", payload: {} }),
        attributes: {},
      },
    ]);
    await w.invoke();
    w.clock.advance(1);
    await w.invoke();
    expect(w.driver.deadLetters.map((d) => [d.reason, d.attempt])).toEqual([
      ["retry-exhausted", 2],
    ]);
    expect(w.driver.deadLetters[0]?.error).toMatch(
      /^RetryExhaustedError: Job "charge" failed 2 times and has no attempts left; caused by ValidatorError: The schema of job "charge" threw while validating; caused by Error: connect ECONNREFUSED/,
    );
    const deadLetter = callsOf(w.calls, "onJobDeadLetter")[0]?.args[0] as { error: unknown };
    expect(deadLetter.error).toBeInstanceOf(RetryExhaustedError);
  });
});

describe("a message signed with a key id the worker does not have yet (producers deployed first in a rotation)", () => {
  const pay = defineJob<{ amount: number }>({ name: "pay", handler: () => {} });

  it("retries it like an unknown job, never runs it, and runs it once the worker has the key", async () => {
    const ran: number[] = [];
    const job = defineJob<{ amount: number }>({
      name: "pay",
      handler: ({ amount }) => {
        ran.push(amount);
      },
    });
    const before = setupWorker({
      jobs: [job],
      worker: {
        signingKeys: [oldKey],
        unknownJobRetry: { maxAttempts: 5, backoff: { base: 1, max: 1, jitter: "none" } },
      },
    });
    await new JobService(before.driver, { signingKey: newKey }).enqueue(job, { amount: 7 });

    const first = await before.invoke();
    expect(first.failed).toHaveLength(1);
    expect(ran).toEqual([]);
    expect(before.driver.deadLetters).toEqual([]);
    expect(before.log.find("warn", /unknown key id/)).toHaveLength(1);

    // The worker is deployed with the new key; the same queue, the message comes back.
    before.clock.advance(1);
    const after = await before.driver.receive("default");
    const rotated = bootstrapWorker({
      jobs: [job],
      driver: before.driver,
      signingKeys: [newKey, oldKey],
      logger: before.log.logger,
    });
    const response = await rotated(sqsEvent(after), lambdaContext());
    expect(response.batchItemFailures).toEqual([]);
    expect(ran).toEqual([7]);
  });

  it("dead-letters it with reason signature when the unknown-job attempts run out", async () => {
    const w = setupWorker({
      jobs: [pay],
      worker: {
        signingKeys: [oldKey],
        unknownJobRetry: { maxAttempts: 3, backoff: { base: 1, max: 1, jitter: "none" } },
      },
    });
    await new JobService(w.driver, { signingKey: newKey }).enqueue(pay, { amount: 7 });
    for (let i = 0; i < 3; i++) {
      await w.invoke();
      w.clock.advance(1);
    }
    expect(w.driver.deadLetters.map((d) => [d.reason, d.attempt, d.error])).toEqual([
      [
        "signature",
        3,
        'InvalidEnvelopeError: Invalid message envelope (invalid-signature): the message is signed with key "k2", which this worker still did not have after 3 attempts',
      ],
    ]);
  });

  it("still dead-letters a forged signature with a known key id at once", async () => {
    const w = setupWorker({ jobs: [pay], worker: { signingKeys: [oldKey] } });
    await new JobService(w.driver, {
      signingKey: { id: "k1", secret: "attacker-guess-attacker-guess-!!!" },
    }).enqueue(pay, { amount: 1 });
    await w.invoke();
    expect(w.driver.deadLetters.map((d) => [d.reason, d.attempt])).toEqual([["signature", 1]]);
  });
});
