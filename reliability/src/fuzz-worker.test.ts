// Promise 6 — fuzz the worker: thousands of generated bodies (not JSON, wrong types, huge
// strings, deep nesting, __proto__/constructor keys, unknown versions and names, payloads failing
// the schema, the largest the queue takes) mixed with valid jobs. The handler never throws, every
// valid job completes once, every poison message ends in the dead-letter queue with its reason,
// and no prototype is polluted.
import { createHash } from "node:crypto";
import {
  DEAD_LETTER_ATTRIBUTES,
  defineJob,
  isJobError,
  JobService,
  type Logger,
  silentLogger,
} from "@glasswork/core";
import { SQSQueueDriver } from "@glasswork/driver-sqs";
import { bootstrapWorker } from "@glasswork/worker";
import * as v from "valibot";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import {
  type FauxqsTestServer,
  startFauxqsTestServer,
} from "../../packages/driver-sqs/src/test-fauxqs.js";
import { countBy, recordFigures } from "./internal/figures.js";
import { FUZZ_JOB, generateFuzzCases, MAX_BODY_BYTES } from "./internal/fuzz-bodies.js";
import { Ledger } from "./internal/ledger.js";
import { pollUntilEmpty } from "./internal/poll-until-empty.js";
import { deadLetterReason } from "./internal/queue-contents.js";
import { seededRandom } from "./internal/random.js";
import { size } from "./internal/sizes.js";

const BODIES = size(2_000, 20_000);

let sqs: FauxqsTestServer;
beforeAll(async () => {
  sqs = await startFauxqsTestServer();
});
afterAll(async () => {
  await sqs.stop();
});

const PROTOTYPES = [
  Object.prototype,
  Array.prototype,
  Function.prototype,
  String.prototype,
  Number.prototype,
  Boolean.prototype,
  Error.prototype,
  Promise.prototype,
  Map.prototype,
  Date.prototype,
];
const prototypeKeys = () => PROTOTYPES.map((p) => Reflect.ownKeys(p).map(String).sort().join(","));
const digest = (body: string | undefined) =>
  createHash("sha1")
    .update(body ?? "")
    .digest("hex");

describe("fuzz the worker", () => {
  it(
    `survives ${BODIES} generated bodies: valid jobs complete, poison is dead-lettered with its reason`,
    async () => {
      const startedAt = performance.now();
      const random = seededRandom(0xf022);
      const before = prototypeKeys();
      const deadLetter = await sqs.createQueue("fuzz-dlq", {
        MaximumMessageSize: String(MAX_BODY_BYTES),
      });
      const queue = await sqs.createQueue("fuzz", {
        MaximumMessageSize: String(MAX_BODY_BYTES),
        VisibilityTimeout: "5",
        // The queue's own redrive is the crash safety net; a message it moves has no reason
        // attribute, which this test would see.
        RedrivePolicy: JSON.stringify({ deadLetterTargetArn: deadLetter.arn, maxReceiveCount: 4 }),
      });
      const driver = new SQSQueueDriver({ ...sqs.clientConfig, queues: { default: queue.url } });
      const ledger = new Ledger();
      const job = defineJob({
        name: FUZZ_JOB,
        schema: v.object({
          n: v.number(),
          s: v.pipe(v.string(), v.maxLength(64)),
          tags: v.optional(v.array(v.string())),
        }),
        handler: (_payload, ctx) => {
          ledger.start(ctx.jobId, ctx.attempt);
          ledger.effect(ctx.jobId, ctx.attempt);
        },
      });

      // Over the limit, the producer refuses before anything reaches the queue.
      let refusedAtSend = 0;
      try {
        await new JobService(driver).enqueue(job, { n: 1, s: "x".repeat(300_000) } as never);
      } catch (error) {
        if (isJobError(error, "PAYLOAD_TOO_LARGE") || isJobError(error, "INVALID_PAYLOAD"))
          refusedAtSend++;
      }
      const [tooBig] = await driver.send([
        { queue: "default", body: "x".repeat(MAX_BODY_BYTES + 1), attributes: {} },
      ]);
      if (tooBig && !tooBig.ok) refusedAtSend++;

      const cases = generateFuzzCases(random, BODIES);
      const sent = await driver.send(
        cases.map((c) => ({ queue: "default", body: c.body, attributes: c.attributes })),
      );
      const notSent = sent.flatMap((r, i) =>
        r.ok ? [] : [`${cases[i]?.category}: ${r.error.message}`],
      );
      expect(notSent).toEqual([]);

      let errorsLogged = 0;
      const logger: Logger = {
        ...silentLogger,
        error: () => {
          errorsLogged++;
        },
        child: () => logger,
      };
      const worker = bootstrapWorker({
        jobs: [job],
        driver,
        logger,
        unknownJobRetry: { maxAttempts: 2, backoff: { base: 0 } },
      });
      const { dead, handlerThrew } = await pollUntilEmpty({
        sqs,
        queue,
        deadLetter,
        driver,
        handler: worker,
        concurrency: 4,
        timeoutMs: size(120_000, 600_000),
      });

      const deadByBody = new Map<string, { reason: string; attempt: string | undefined }[]>();
      for (const m of dead) {
        const key = digest(m.Body);
        deadByBody.set(key, [
          ...(deadByBody.get(key) ?? []),
          {
            reason: deadLetterReason(m),
            attempt: m.MessageAttributes?.[DEAD_LETTER_ATTRIBUTES.attempt]?.StringValue,
          },
        ]);
      }
      const valid = cases.filter((c) => c.expected === "completed");
      const poison = cases.filter((c) => c.expected !== "completed");
      const wrong = poison.flatMap((c) => {
        const found = deadByBody.get(digest(c.body)) ?? [];
        const reasons = found.map((d) => d.reason).join(",");
        return reasons === c.expected
          ? []
          : [`${c.category}: expected ${c.expected}, got ${reasons || "nothing"}`];
      });
      const summary = ledger.summary(valid.map((c) => c.jobId ?? ""));
      const lost = summary.lost + poison.filter((c) => !deadByBody.has(digest(c.body))).length;
      recordFigures(
        "fuzz-worker",
        "generated bodies",
        {
          jobs: BODIES,
          faults: {
            poison: poison.length,
            ...countBy(poison, (c) => c.category.split(":")[0] ?? ""),
          },
          lost,
          duplicatedEffects: summary.duplicatedCompletions,
          duplicatedExecutions: summary.duplicatedExecutions,
          deadLetters: countBy(dead, deadLetterReason),
          seed: random.seed,
          extra: {
            valid: valid.length,
            completed: summary.effects,
            refusedAtSend,
            handlerThrew,
            errorsLogged,
            wrongOutcomes: wrong.length,
          },
        },
        startedAt,
      );

      // The handler never threw out; the queue is empty.
      expect(handlerThrew).toBe(0);
      expect(await sqs.depth(queue)).toEqual({
        visible: 0,
        inFlight: 0,
        delayed: 0,
      });
      // Every valid job completed, exactly once, and nothing else ran.
      expect(summary.effects).toBe(valid.length);
      expect(summary.lost).toBe(0);
      expect(summary.unexpected).toBe(0);
      expect(summary.duplicatedExecutions).toBe(0);
      // Every poison message is in the dead-letter queue once, with its reason; nothing else is.
      expect(wrong.slice(0, 20)).toEqual([]);
      expect(dead).toHaveLength(poison.length);
      // Unknown names were retried once (deploy skew) before being dead-lettered; the rest at once.
      for (const c of poison) {
        expect(deadByBody.get(digest(c.body))?.[0]?.attempt, c.category).toBe(c.attempt);
      }
      // Each kind of input was generated, and the producer refused what is over the limit.
      const categories = new Set(cases.map((c) => c.category.split(":")[0]));
      expect([...categories].sort()).toEqual([
        "forbidden-key",
        "huge",
        "invalid-payload",
        "not-an-object",
        "not-json",
        "unknown-name",
        "valid",
        "wrong-type",
      ]);
      expect(refusedAtSend).toBe(2);
      // No prototype gained or lost a key.
      expect(prototypeKeys()).toEqual(before);
      expect(({} as Record<string, unknown>).polluted).toBeUndefined();
    },
    size(150_000, 900_000),
  );
});
