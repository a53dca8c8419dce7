// Test-only (excluded from the build and the package): fills a fauxqs dead-letter queue the way
// the worker does, by moving enqueued jobs there with a reason and an error.
import {
  type AnyJobDefinition,
  type DeadLetterReason,
  JobService,
  silentLogger,
} from "@glasswork/core";
import { SQSQueueDriver } from "@glasswork/driver-sqs";
import type { FauxqsTestServer, TestQueue } from "../../driver-sqs/src/test-fauxqs.js";
import { alwaysFails, sendEmail } from "./test-jobs.js";

/** One dead letter to create. */
export interface DeadLetterSeed {
  readonly job: AnyJobDefinition;
  readonly payload: unknown;
  readonly reason: DeadLetterReason;
  readonly error: string;
}

/** An always-fails job for user `key`, dead-lettered for good: "user <key> does not exist". */
export function missingUser(key: string): DeadLetterSeed {
  return {
    job: alwaysFails,
    payload: { key },
    reason: "permanent",
    error: `user ${key} does not exist`,
  };
}

/** A send-email job to a@example.com whose retries ran out on `error`. */
export function exhaustedEmail(error: string): DeadLetterSeed {
  return { job: sendEmail, payload: { to: "a@example.com" }, reason: "retry-exhausted", error };
}

/** Enqueues each seed on `queue` (as "default") and moves it to its dead-letter queue. */
export async function seedDeadLetters(
  sqs: FauxqsTestServer,
  queue: TestQueue,
  seeds: readonly DeadLetterSeed[],
): Promise<void> {
  const driver = new SQSQueueDriver({ ...sqs.clientConfig, queues: { default: queue.url } });
  const jobs = new JobService(driver, { logger: silentLogger });
  try {
    for (const seed of seeds) {
      await jobs.enqueue(seed.job, seed.payload);
      const [message] = await driver.receive("default", { maxMessages: 1, waitTimeSeconds: 1 });
      if (!message) throw new Error("nothing received");
      await driver.moveToDeadLetter(message, {
        reason: seed.reason,
        error: seed.error,
        attempt: 1,
      });
    }
  } finally {
    await driver.dispose();
  }
}
