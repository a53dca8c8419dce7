import { defineJob, JobService, silentLogger } from "@glasswork/core";
import { ManualClock, MockQueueDriver } from "@glasswork/driver-mock";
import { describe, expect, it } from "vitest";
import { redriveDeadLetters } from "./dead-letters.js";

// Review attack: issue 13 item 1 fixed the redrive in @glasswork/ops, but @glasswork/worker still
// exports the old `redriveDeadLetters` under the same name (index.ts), with the old semantics.

describe("@glasswork/worker's redriveDeadLetters, queues 'emails' and 'billing' sharing one dead-letter queue", () => {
  // It receives from the dead-letter queue until it is empty and sends everything to the queue
  // asked for: billing's dead letter is moved into emails (where no worker knows its job, or the
  // wrong one runs it). Without a limit it also never ends while a worker dead-letters the
  // redriven copies again (issue 13's 116,000 re-runs).
  it.fails("moves only emails' dead letters", async () => {
    const driver = new MockQueueDriver({
      clock: new ManualClock(),
      deadLetterQueues: { emails: "shared-dlq", billing: "shared-dlq" },
    });
    const charge = defineJob<{ n: number }>({
      name: "charge",
      queue: "billing",
      handler: () => {},
    });
    await new JobService(driver, { logger: silentLogger }).enqueue(charge, { n: 1 });
    const [message] = await driver.receive("billing", { maxMessages: 1 });
    if (!message) throw new Error("nothing received");
    await driver.moveToDeadLetter(message, { reason: "permanent", error: "declined", attempt: 1 });

    const result = await redriveDeadLetters(driver, "emails");
    expect(result.moved).toBe(0);
    expect(await driver.stats("emails")).toEqual({ visible: 0, inFlight: 0, delayed: 0 });
  });
});
