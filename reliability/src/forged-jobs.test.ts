// Promise 7 — forged jobs (optional signing): with `signingKey` on the producer and
// `signingKeys` on the worker, unsigned and forged messages go to the dead-letter queue with
// reason `signature` and never run; signed ones run, across a key rotation. Threat: anyone who
// may send to the queue could otherwise run any job with any payload.
import {
  defineJob,
  JobService,
  type OutgoingMessage,
  SIGNATURE_ATTRIBUTE,
  type SigningKey,
  silentLogger,
} from "@glasswork/core";
import { MockQueueDriver } from "@glasswork/driver-mock";
import { SQSQueueDriver } from "@glasswork/driver-sqs";
import { bootstrapWorker } from "@glasswork/worker";
import * as v from "valibot";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import {
  type FauxqsTestServer,
  startFauxqsTestServer,
} from "../../packages/driver-sqs/src/test-fauxqs.js";
import { countBy, recordFigures } from "./internal/figures.js";
import { Ledger } from "./internal/ledger.js";
import { pollUntilEmpty } from "./internal/poll-until-empty.js";
import { deadLetterReason, jobIdOf } from "./internal/queue-contents.js";
import { type Random, seededRandom } from "./internal/random.js";
import { size } from "./internal/sizes.js";

const OLD_KEY: SigningKey = { id: "k1", secret: "old-secret-0123456789-0123456789-abcdef" };
const NEW_KEY: SigningKey = { id: "k2", secret: "new-secret-0123456789-0123456789-abcdef" };
/** The attacker knows the key id (it is in every signature), not the secret. */
const GUESSED_KEY: SigningKey = { id: "k2", secret: "attacker-guess-0123456789-0123456789" };
const FOREIGN_KEY: SigningKey = { id: "k9", secret: "some-other-app-0123456789-0123456789" };
const PER_KIND = size(100, 1_000);

let sqs: FauxqsTestServer;
beforeAll(async () => {
  sqs = await startFauxqsTestServer();
});
afterAll(async () => {
  await sqs.stop();
});

const payJob = (ledger?: Ledger, applied?: { cents: number }) =>
  defineJob({
    name: "reliability.pay",
    schema: v.object({ account: v.string(), cents: v.pipe(v.number(), v.integer()) }),
    handler: ({ cents }, ctx) => {
      ledger?.start(ctx.jobId, ctx.attempt);
      if (ledger?.effect(ctx.jobId, ctx.attempt) && applied) applied.cents += cents;
    },
  });

/** Messages as a producer with `key` would send them, captured instead of sent. */
async function produce(key: SigningKey | undefined, ids: readonly string[], cents: number) {
  const capture = new MockQueueDriver();
  const jobs = new JobService(capture, key ? { signingKey: key } : {});
  await jobs.enqueueBatch(
    ids.map((id) => ({ job: payJob(), payload: { account: "acct-1", cents }, options: { id } })),
  );
  return capture
    .messages("default")
    .map((m): OutgoingMessage => ({ queue: "default", body: m.body, attributes: m.attributes }));
}

const ids = (prefix: string, count = PER_KIND) =>
  Array.from({ length: count }, (_, i) => `${prefix}-${i}`);

/** Every kind of message a sender without the key can make, from signed messages it saw. */
async function attacks(random: Random) {
  const seen = await produce(NEW_KEY, ids("seen"), 100);
  const signatureOf = (m: OutgoingMessage) => m.attributes[SIGNATURE_ATTRIBUTE] ?? "";
  const kinds: Record<string, OutgoingMessage[]> = {
    unsigned: await produce(undefined, ids("unsigned"), 1_000_000),
    forged: await produce(GUESSED_KEY, ids("forged"), 1_000_000),
    "foreign-key": await produce(FOREIGN_KEY, ids("foreign"), 1_000_000),
    // A captured message replayed with a tampered body (amount and id changed, signature kept).
    "tampered-body": seen.map((m, i) => ({
      ...m,
      body: m.body
        .replace('"cents":100', '"cents":1000000')
        .replace(`"seen-${i}"`, `"tampered-${i}"`),
    })),
    // A valid signature moved onto another message's body.
    "moved-signature": seen.map((m, i) => {
      const other = seen[(i + 1) % seen.length] as OutgoingMessage;
      return { ...m, body: other.body.replace(`"seen-${(i + 1) % seen.length}"`, `"moved-${i}"`) };
    }),
    // Garbage in the signature attribute.
    "malformed-signature": ids("garbled").map((id, i) => {
      const sig = random.pick([
        "k2",
        "k2.",
        ".k2",
        "k2.!!!!",
        `k2.${"A".repeat(42)}`,
        `k2.${"A".repeat(44)}`,
        `k1.${signatureOf(seen[i % seen.length] as OutgoingMessage).slice(3)}`,
        `${"k".repeat(40)}.${"A".repeat(43)}`,
        "k2.k2.k2",
        " ",
      ]);
      const base = seen[i % seen.length] as OutgoingMessage;
      return {
        ...base,
        body: base.body.replace(/"seen-\d+"/, `"${id}"`),
        attributes: { ...base.attributes, [SIGNATURE_ATTRIBUTE]: sig },
      };
    }),
  };
  return kinds;
}

async function runWorker(
  keys: readonly SigningKey[],
  messages: readonly OutgoingMessage[],
  prefix: string,
) {
  const deadLetter = await sqs.createQueue(`${prefix}-dlq`);
  const queue = await sqs.createQueue(prefix, {
    VisibilityTimeout: "5",
    RedrivePolicy: JSON.stringify({ deadLetterTargetArn: deadLetter.arn, maxReceiveCount: 10 }),
  });
  const driver = new SQSQueueDriver({ ...sqs.clientConfig, queues: { default: queue.url } });
  const sent = await driver.send(messages);
  expect(sent.every((r) => r.ok)).toBe(true);
  const ledger = new Ledger();
  const applied = { cents: 0 };
  const worker = bootstrapWorker({
    jobs: [payJob(ledger, applied)],
    driver,
    logger: silentLogger,
    signingKeys: keys,
    // A well-formed signature by a key this worker lacks (a foreign or retired key id) may be a
    // key being rotated in: it is retried like an unknown job, never run, and dead-lettered with
    // reason `signature` when these attempts run out (issue 12 item 13).
    unknownJobRetry: { maxAttempts: 3, backoff: { base: 0, max: 0 } },
  });
  const { dead } = await pollUntilEmpty({
    sqs,
    queue,
    deadLetter,
    driver,
    handler: worker,
    concurrency: 4,
    timeoutMs: size(60_000, 600_000),
  });
  return { ledger, applied, dead };
}

describe("forged jobs (signing)", () => {
  it(
    "runs jobs signed with either key during a rotation, dead-letters unsigned and forged ones",
    async () => {
      const startedAt = performance.now();
      const random = seededRandom(0x5167);
      const valid = {
        old: await produce(OLD_KEY, ids("old"), 100),
        new: await produce(NEW_KEY, ids("new"), 100),
      };
      // Replays of captured signed messages, unchanged: signing does not stop them; the job id
      // (the idempotency key) makes the second run a no-op.
      const replays = valid.new.slice(0, 10);
      const bad = await attacks(random);
      const all = [...valid.old, ...valid.new, ...replays, ...Object.values(bad).flat()];
      // Shuffled, so that valid and bad messages share batches.
      for (let i = all.length - 1; i > 0; i--) {
        const j = random.int(0, i);
        [all[i], all[j]] = [all[j] as OutgoingMessage, all[i] as OutgoingMessage];
      }
      const { ledger, applied, dead } = await runWorker([NEW_KEY, OLD_KEY], all, "signed-rotation");

      const validIds = [...ids("old"), ...ids("new")];
      const badIds = Object.values(bad).flatMap((list) => list.map((m) => jobIdOf(m.body)));
      const summary = ledger.summary(validIds);
      recordFigures(
        "forged-jobs",
        "rotation: both keys accepted",
        {
          jobs: all.length,
          faults: {
            ...Object.fromEntries(Object.entries(bad).map(([k, l]) => [k, l.length])),
            exactReplays: replays.length,
          },
          lost: summary.lost,
          duplicatedEffects: summary.duplicatedCompletions - replays.length,
          duplicatedExecutions: summary.duplicatedExecutions,
          deadLetters: countBy(dead, deadLetterReason),
          seed: random.seed,
          extra: { valid: validIds.length, appliedCents: applied.cents },
        },
        startedAt,
      );

      // Every validly signed job ran, under either key; nothing else ran.
      expect(summary.effects).toBe(validIds.length);
      expect(summary.lost).toBe(0);
      expect(summary.unexpected).toBe(0);
      expect(applied.cents).toBe(validIds.length * 100);
      // Exact replays ran again (signing cannot tell them apart) and changed nothing.
      expect(summary.duplicatedExecutions).toBe(replays.length);
      expect(summary.duplicatedCompletions).toBe(replays.length);
      // Every unsigned, forged, tampered or garbled message is in the dead-letter queue with
      // reason "signature", and nothing else is.
      expect(dead.map((m) => jobIdOf(m.Body)).sort()).toEqual([...badIds].sort());
      expect(countBy(dead, deadLetterReason)).toEqual({ signature: badIds.length });
    },
    size(120_000, 600_000),
  );

  it(
    "refuses the retired key once the rotation is over",
    async () => {
      const startedAt = performance.now();
      const random = seededRandom(0x5168);
      const old = await produce(OLD_KEY, ids("old"), 100);
      const fresh = await produce(NEW_KEY, ids("new"), 100);
      const { ledger, dead } = await runWorker([NEW_KEY], [...old, ...fresh], "signed-retired");
      const summary = ledger.summary(ids("new"));
      recordFigures(
        "forged-jobs",
        "after rotation: old key retired",
        {
          jobs: old.length + fresh.length,
          faults: { signedWithRetiredKey: old.length },
          lost: summary.lost,
          duplicatedEffects: summary.duplicatedCompletions,
          duplicatedExecutions: summary.duplicatedExecutions,
          deadLetters: countBy(dead, deadLetterReason),
          seed: random.seed,
        },
        startedAt,
      );
      expect(summary.effects).toBe(fresh.length);
      expect(summary.unexpected).toBe(0);
      expect(summary.duplicatedExecutions).toBe(0);
      expect(dead.map((m) => jobIdOf(m.Body)).sort()).toEqual(ids("old").sort());
      expect(countBy(dead, deadLetterReason)).toEqual({ signature: old.length });
    },
    size(120_000, 600_000),
  );
});
