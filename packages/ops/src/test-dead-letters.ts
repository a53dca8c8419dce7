import {
  type DeadLetterReason,
  defineJob,
  JobService,
  type QueueDriver,
  silentLogger,
} from "@glasswork/core";
import { ManualClock, MockQueueDriver } from "@glasswork/driver-mock";

/** Test-only: jobs and a mock driver whose "default" queue has dead letters. */
export const sendEmail = defineJob<{ userId: string }>({ name: "send-email", handler: () => {} });
export const chargeCard = defineJob<{ orderId: string }>({
  name: "charge-card",
  handler: () => {},
});

/** One dead letter to create: which job, why, with what error. */
export interface DeadLetterSpec {
  readonly job: typeof sendEmail | typeof chargeCard;
  readonly key: string;
  readonly reason: "permanent" | "retry-exhausted" | "invalid-payload";
  readonly error: string;
}

/** A mock driver on a manual clock, with `specs` dead-lettered from "default" in order. */
export async function mockWithDeadLetters(
  specs: readonly DeadLetterSpec[],
): Promise<{ driver: MockQueueDriver; clock: ManualClock }> {
  const clock = new ManualClock();
  const driver = new MockQueueDriver({ clock });
  await deadLetter(driver, specs);
  return { driver, clock };
}

/** Enqueues each spec on "default", receives it and moves it to the dead-letter queue. */
export async function deadLetter(
  driver: QueueDriver,
  specs: readonly DeadLetterSpec[],
): Promise<void> {
  const jobs = new JobService(driver, { logger: silentLogger });
  for (const spec of specs) {
    const payload = spec.job === sendEmail ? { userId: spec.key } : { orderId: spec.key };
    // biome-ignore lint/suspicious/noExplicitAny: the payload matches the job picked above.
    await jobs.enqueue(spec.job as any, payload);
    await deadLetterNext(driver, "default", { reason: spec.reason, error: spec.error });
  }
}

/** Receives the next message of `queue` and moves it to its dead-letter queue (attempt 1 unless told). */
export async function deadLetterNext(
  driver: QueueDriver,
  queue: string,
  details: { readonly reason: DeadLetterReason; readonly error: string; readonly attempt?: number },
): Promise<void> {
  const [message] = await driver.receive(queue, { maxMessages: 1 });
  if (!message) throw new Error("nothing received");
  await driver.moveToDeadLetter(message, { attempt: 1, ...details });
}

/** `count` dead letters of send-email, all failed the same way. */
export function manyDeadLetters(count: number): DeadLetterSpec[] {
  return Array.from({ length: count }, (_, i) => ({
    job: sendEmail,
    key: `u_${i}`,
    reason: "permanent",
    error: `PermanentJobError: user u_${i} not found`,
  }));
}
