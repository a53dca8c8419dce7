// Promise 5 — hook failures: hooks that throw, reject, hang, skip or repeat `run` never change a
// job's outcome and never lose a job. The same jobs run twice, without hooks and with hostile
// ones; every outcome must match, and a well-behaved hook set between the hostile ones must
// still see each event exactly once.
import {
  defineJob,
  encodeEnvelope,
  JOB_NAME_ATTRIBUTE,
  type Logger,
  PermanentJobError,
  type QueueDriver,
  silentLogger,
  TransientJobError,
} from "@glasswork/core";
import { SQSQueueDriver } from "@glasswork/driver-sqs";
import { bootstrapWorker, type WorkerHooks } from "@glasswork/worker";
import * as v from "valibot";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import {
  type FauxqsTestServer,
  startFauxqsTestServer,
} from "../../packages/driver-sqs/src/test-fauxqs.js";
import { countBy, recordFigures } from "./internal/figures.js";
import { pollUntilEmpty } from "./internal/poll-until-empty.js";
import { deadLetterReason, jobIdOf } from "./internal/queue-contents.js";
import { seededRandom } from "./internal/random.js";
import { size } from "./internal/sizes.js";

const JOBS = size(300, 3_000);
const HOOK_TIMEOUT_MS = 25;

let sqs: FauxqsTestServer;
beforeAll(async () => {
  sqs = await startFauxqsTestServer();
});
afterAll(async () => {
  await sqs.stop();
});

/** What each job does, and so how it must end. */
const KINDS = [
  "ok", // completes
  "flaky", // fails on its first run, then completes
  "permanent", // PermanentJobError: dead-letter queue
  "invalid", // payload fails the schema: dead-letter queue
  "unknown", // job name the worker does not know: retried, then dead-letter queue
  "discard", // retry: false and fails: deleted
  "exhaust", // always fails, 2 attempts: dead-letter queue
] as const;
type Kind = (typeof KINDS)[number];

const never = () => new Promise<never>(() => {});

/** Hook sets that misbehave in every way a hook can, at every hook: throw, reject, hang, skip or
 * repeat `run`, write to the objects they are given. */
function hostileHooks(): WorkerHooks[] {
  const boom = (where: string) => {
    throw new Error(`hook ${where} exploded`);
  };
  return [
    {
      aroundJob: () => boom("aroundJob, before run"),
      onJobStart: () => boom("onJobStart"),
      onJobComplete: () => boom("onJobComplete"),
      onJobFailed: () => boom("onJobFailed"),
      onJobDeadLetter: () => boom("onJobDeadLetter"),
    },
    {
      aroundJob: async (_e, run) => {
        await run();
        throw new Error("aroundJob rejects after run");
      },
      onJobStart: async () => Promise.reject(new Error("onJobStart rejects")),
      onJobComplete: async () => Promise.reject(new Error("onJobComplete rejects")),
      onJobFailed: async () => Promise.reject(new Error("onJobFailed rejects")),
      onJobDeadLetter: async () => Promise.reject(new Error("onJobDeadLetter rejects")),
    },
    {
      // Never calls run, and never settles.
      aroundJob: never,
      onJobStart: never,
      onJobComplete: never,
      onJobFailed: never,
      onJobDeadLetter: never,
    },
    {
      // Calls run twice, then hangs.
      aroundJob: async (_e, run) => {
        await run();
        await run();
        return never();
      },
    },
    {
      // Writes to what it is given (readonly only in the types): the execution before the run,
      // the run's outcome after it.
      aroundJob: async (execution, run) => {
        try {
          (execution as { attempt: number }).attempt = 99;
        } catch {
          // A frozen execution refuses the write; go on to try the outcome.
        }
        const outcome = await run();
        Object.assign(outcome, { status: "completed" });
      },
    },
    {
      onJobStart: (_execution, ctx) => {
        (ctx as { jobId: string }).jobId = "tampered";
      },
    },
    {
      onJobStart: (execution) => {
        (execution as { attempt: number }).attempt = 99;
      },
      onJobFailed: (_e, _ctx, failure) => {
        (failure as { willRetry: boolean }).willRetry = false;
      },
    },
  ];
}

/** A well-behaved hook set that counts what it sees. */
function countingHooks(counts: Record<string, number>): WorkerHooks {
  const count = (hook: string) => () => {
    counts[hook] = (counts[hook] ?? 0) + 1;
  };
  return {
    aroundJob: async (_e, run) => {
      counts.aroundJob = (counts.aroundJob ?? 0) + 1;
      return run();
    },
    onJobStart: count("onJobStart"),
    onJobComplete: count("onJobComplete"),
    onJobFailed: count("onJobFailed"),
    onJobDeadLetter: count("onJobDeadLetter"),
  };
}

function countingLogger(counts: { errors: number }): Logger {
  const logger: Logger = {
    ...silentLogger,
    error: () => {
      counts.errors++;
    },
    child: () => logger,
  };
  return logger;
}

async function runJobs(plan: readonly Kind[], hooks: WorkerHooks[], salt: string) {
  const deadLetter = await sqs.createQueue(`hooks-${salt}-dlq`);
  const queue = await sqs.createQueue(`hooks-${salt}`, {
    VisibilityTimeout: "5",
    RedrivePolicy: JSON.stringify({ deadLetterTargetArn: deadLetter.arn, maxReceiveCount: 10 }),
  });
  const driver: QueueDriver = new SQSQueueDriver({
    ...sqs.clientConfig,
    queues: { default: queue.url },
  });
  const effects = new Map<string, number>();
  const runs = new Map<string, number>();
  const run = (id: string) => {
    const n = (runs.get(id) ?? 0) + 1;
    runs.set(id, n);
    return n;
  };
  const schema = v.object({ kind: v.picklist(KINDS) });
  const job = defineJob({
    name: "reliability.hooks",
    schema,
    retry: { maxAttempts: 3, backoff: { base: 0 } },
    handler: ({ kind }, ctx) => {
      const n = run(ctx.jobId);
      if (kind === "permanent") throw new PermanentJobError("never");
      if (kind === "exhaust") throw new Error(`fails every time (run ${n})`);
      if (kind === "flaky" && n === 1)
        throw new TransientJobError("first run fails", { retryAfter: 0 });
      effects.set(ctx.jobId, (effects.get(ctx.jobId) ?? 0) + 1);
    },
  });
  const once = defineJob({
    name: "reliability.hooks-once",
    retry: false,
    handler: (_p: unknown, ctx) => {
      run(ctx.jobId);
      throw new Error("fails, and is not retried");
    },
  });
  const exhaust = defineJob({
    name: "reliability.hooks-exhaust",
    retry: { maxAttempts: 2, backoff: { base: 0 } },
    handler: (_p: unknown, ctx) => {
      run(ctx.jobId);
      throw new Error("fails every time");
    },
  });

  const enqueuedAt = new Date().toISOString();
  const messages = plan.map((kind, n) => {
    const id = `hooks-${n}`;
    const name =
      kind === "unknown"
        ? "reliability.not-deployed-yet"
        : kind === "discard"
          ? once.name
          : kind === "exhaust"
            ? exhaust.name
            : job.name;
    const payload = kind === "invalid" ? { kind: "no such kind" } : { kind };
    const body = encodeEnvelope({ v: 1, id, name, payload, enqueuedAt });
    return { queue: "default", body, attributes: { [JOB_NAME_ATTRIBUTE]: name } };
  });
  const sent = await driver.send(messages);
  expect(sent.every((r) => r.ok)).toBe(true);

  const logged = { errors: 0 };
  const worker = bootstrapWorker({
    jobs: [job, once, exhaust],
    driver,
    hooks,
    logger: countingLogger(logged),
    hookTimeoutMs: HOOK_TIMEOUT_MS,
    unknownJobRetry: { maxAttempts: 2, backoff: { base: 0 } },
  });
  const { dead, handlerThrew } = await pollUntilEmpty({
    sqs,
    queue,
    deadLetter,
    driver,
    handler: worker,
    concurrency: 2,
    timeoutMs: size(120_000, 600_000),
  });
  return {
    effects,
    runs,
    deadLetters: new Map(dead.map((m) => [jobIdOf(m.Body) ?? "?", deadLetterReason(m)])),
    deadLetterCount: dead.length,
    handlerThrew,
    errorsLogged: logged.errors,
  };
}

describe("hook failures", () => {
  it(
    "gives every job the same outcome with hooks that throw, reject, hang, skip or repeat run, or write to what they get",
    async () => {
      const startedAt = performance.now();
      const random = seededRandom(0x400c);
      const plan = Array.from({ length: JOBS }, () => random.pick(KINDS));
      const counts: Record<string, number> = {};
      const hostile = hostileHooks();
      // The counting set sits between hostile ones: their failures must not cost it an event.
      const hooks = [...hostile.slice(0, 3), countingHooks(counts), ...hostile.slice(3)];
      const [control, withHooks] = await Promise.all([
        runJobs(plan, [], "control"),
        runJobs(plan, hooks, "hostile"),
      ]);

      const expected = {
        effects: plan.flatMap((k, n) => (k === "ok" || k === "flaky" ? [`hooks-${n}`] : [])),
        deadLetters: Object.fromEntries(
          plan.flatMap((k, n) => {
            const reason = {
              permanent: "permanent",
              invalid: "invalid-payload",
              unknown: "unknown-job",
              exhaust: "retry-exhausted",
            }[k as string];
            return reason ? [[`hooks-${n}`, reason]] : [];
          }),
        ),
      };
      const runsOf = (r: typeof control) => [...r.runs.values()].reduce((a, b) => a + b, 0);
      const lost = plan.filter(
        (k, n) =>
          !withHooks.effects.has(`hooks-${n}`) &&
          !withHooks.deadLetters.has(`hooks-${n}`) &&
          k !== "discard",
      ).length;
      recordFigures(
        "hook-failures",
        "hostile hooks",
        {
          jobs: JOBS,
          faults: {
            hostileHookSets: hostile.length,
            hookErrorsAndTimeoutsLogged: withHooks.errorsLogged - control.errorsLogged,
          },
          lost,
          duplicatedEffects: [...withHooks.effects.values()].filter((n) => n > 1).length,
          duplicatedExecutions: runsOf(withHooks) - withHooks.runs.size,
          deadLetters: countBy(withHooks.deadLetters.values(), (r) => r),
          seed: random.seed,
          extra: {
            kinds: countBy(plan, (k) => k),
            countingHookCalls: counts,
            controlRuns: runsOf(control),
          },
        },
        startedAt,
      );

      for (const result of [control, withHooks]) {
        // Jobs in, effects out: exactly the jobs that can succeed took effect, once each.
        expect([...result.effects.keys()].sort()).toEqual([...expected.effects].sort());
        expect([...result.effects.values()].every((n) => n === 1)).toBe(true);
        // The dead-letter queue holds exactly the jobs that need a human, with their reasons.
        expect(Object.fromEntries(result.deadLetters)).toEqual(expected.deadLetters);
        expect(result.deadLetterCount).toBe(Object.keys(expected.deadLetters).length);
        expect(result.handlerThrew).toBe(0);
      }
      // Hostile hooks changed nothing: same runs per job as without hooks.
      expect(Object.fromEntries(withHooks.runs)).toEqual(Object.fromEntries(control.runs));
      expect(lost).toBe(0);
      // The well-behaved set saw each event once: one start per run of a known job with a valid
      // payload, one completion per effect, one dead-letter per dead-lettered message.
      const handlerRuns = runsOf(withHooks);
      expect(counts.onJobStart).toBe(handlerRuns);
      expect(counts.onJobComplete).toBe(expected.effects.length);
      expect(counts.onJobDeadLetter).toBe(Object.keys(expected.deadLetters).length);
      const flaky = plan.filter((k) => k === "flaky").length;
      const failedRuns = handlerRuns - expected.effects.length;
      const unknownAttempts = plan.filter((k) => k === "unknown").length * 2;
      const invalid = plan.filter((k) => k === "invalid").length;
      expect(counts.onJobFailed).toBe(failedRuns + unknownAttempts + invalid);
      expect(failedRuns).toBeGreaterThanOrEqual(flaky);
      // The hostile hooks did fail, loudly.
      expect(withHooks.errorsLogged).toBeGreaterThan(control.errorsLogged + JOBS);
    },
    size(150_000, 600_000),
  );
});
