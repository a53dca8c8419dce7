import { defineJob, JobService, SIGNATURE_ATTRIBUTE } from "@glasswork/core";
import { describe, expect, it } from "vitest";
import { callsOf, hookNames, setupWorker } from "./test-harness.js";

const oldKey = { id: "k1", secret: "old-secret-old-secret-old-secret-!" };
const newKey = { id: "k2", secret: "new-secret-new-secret-new-secret-!" };
const ran: number[] = [];
const pay = defineJob<{ amount: number }>({
  name: "pay",
  handler: ({ amount }) => {
    ran.push(amount);
  },
});

describe("bootstrapWorker with signingKeys", () => {
  it("runs signed jobs, also during a key rotation, and dead-letters unsigned and forged ones", async () => {
    ran.length = 0;
    const w = setupWorker({ jobs: [pay], worker: { signingKeys: [newKey, oldKey] } });
    await new JobService(w.driver, { signingKey: oldKey }).enqueue(pay, { amount: 1 });
    await new JobService(w.driver, { signingKey: newKey }).enqueue(pay, { amount: 2 });
    await w.jobs.enqueue(pay, { amount: 3 }); // unsigned
    const forged = new JobService(w.driver, {
      signingKey: { id: "k2", secret: "attacker-guess-attacker-guess-!!!" },
    });
    await forged.enqueue(pay, { amount: 4 });
    // A valid signature moved onto another body.
    const [signed] = w.driver.messages("default");
    await w.driver.send([
      {
        queue: "default",
        body: (signed?.body ?? "").replace('"amount":1', '"amount":5'),
        attributes: { ...signed?.attributes },
      },
    ]);

    const { failed } = await w.invoke();
    expect(failed).toEqual([]);
    expect(ran.sort()).toEqual([1, 2]);
    // Records run concurrently and HMAC checks settle in any order: compare by payload.
    const byAmount = [...w.driver.deadLetters].sort(
      (a, b) => (a.payload as { amount: number }).amount - (b.payload as { amount: number }).amount,
    );
    expect(byAmount.map((d) => [d.payload, d.reason, d.error])).toEqual(
      [3, 4, 5].map((amount) => [
        { amount },
        "signature",
        "InvalidEnvelopeError: Invalid message envelope (invalid-signature): the message is not signed with an accepted key",
      ]),
    );
    expect(w.driver.deadLetters.every((d) => d.attempt === 1)).toBe(true);
    expect(callsOf(w.calls, "onJobDeadLetter")).toHaveLength(3);
    expect(hookNames(w.calls).filter((name) => name.endsWith("onJobStart"))).toHaveLength(2);
    expect(signed?.attributes[SIGNATURE_ATTRIBUTE]).toMatch(/^k1\./);
  });

  it("keeps the signature through a relay of a long delay", async () => {
    ran.length = 0;
    const w = setupWorker({ jobs: [pay], worker: { signingKeys: [oldKey] } });
    await new JobService(w.driver, { signingKey: oldKey, now: () => w.clock.now() }).enqueueIn(
      pay,
      { amount: 9 },
      "20m",
    );
    w.clock.advance("15m");
    await w.invoke(); // relayed: 5 minutes to go
    w.clock.advance("5m");
    await w.invoke();
    expect(ran).toEqual([9]);
    expect(w.driver.deadLetters).toEqual([]);
  });
});
