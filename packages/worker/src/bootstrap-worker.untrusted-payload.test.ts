import vm from "node:vm";
import { defineJob, type JobOptions } from "@glasswork/core";
import * as v from "valibot";
import { describe, expect, it } from "vitest";
import { callsOf, rawEnvelope, setupWorker } from "./test-harness.js";

// Issue 12 item 11: a payment job whose payload fails its schema. valibot's messages quote the
// received value ("…but received "4111 1111 1111 1111""): it must reach neither the logs nor
// the dead-letter queue's error attribute, while the path and the expectation stay readable.

describe("a payload that fails its schema with a card number in it", () => {
  it("dead-letters it with the path and expectation, without the received value, in logs and DLQ", async () => {
    const charge = defineJob({
      name: "charge",
      schema: v.object({ card: v.object({ number: v.pipe(v.string(), v.regex(/^\d{16}$/)) }) }),
      handler: () => {},
    });
    const w = setupWorker({ jobs: [charge] });
    // A producer without the schema (or an attacker) sends what the schema refuses.
    await w.driver.send([
      {
        queue: "default",
        body: rawEnvelope({
          id: "c1",
          name: "charge",
          payload: { card: { number: "4111 1111 1111 1111" } },
        }),
        attributes: {},
      },
    ]);

    await w.invoke();

    const [dead] = w.driver.deadLetters;
    expect(dead?.reason).toBe("invalid-payload");
    expect(dead?.error).toBe(
      'InvalidJobPayloadError: Invalid payload for job "charge": card.number: Invalid format: Expected /^\\d{16}$/ but received [redacted]',
    );
    const logged = JSON.stringify(
      w.log.lines.map((l) => ({ ...l, fields: { ...l.fields, err: String(l.fields.err) } })),
    );
    expect(logged).toContain("card.number");
    expect(logged).not.toContain("4111");
    const failure = callsOf(w.calls, "onJobFailed")[0]?.args[2] as { error: Error };
    expect(failure.error.message).not.toContain("4111");
  });

  // Issue 18 item 1: a schema whose validate returns a Promise from another realm (a validator
  // built in a node:vm context, jsdom) used to read as success with `value: undefined`.
  it("never runs the handler when a cross-realm Promise resolves with issues (node:vm)", async () => {
    const realm = vm.createContext({});
    const schema: NonNullable<JobOptions<{ amount: number }, { amount: number }>["schema"]> = {
      "~standard": {
        version: 1,
        vendor: "sandboxed",
        validate: () =>
          vm.runInContext('Promise.resolve({ issues: [{ message: "always refused" }] })', realm),
      },
    };
    const received: unknown[] = [];
    const refund = defineJob({
      name: "refund",
      schema,
      handler: (payload) => {
        received.push(payload);
      },
    });
    const w = setupWorker({ jobs: [refund] });
    await w.driver.send([
      {
        queue: "default",
        body: rawEnvelope({ id: "r1", name: "refund", payload: { amount: 1_000_000 } }),
        attributes: {},
      },
    ]);
    await w.invoke();
    expect(received).toEqual([]);
    expect(w.driver.deadLetters.map((d) => [d.reason, d.error])).toEqual([
      [
        "invalid-payload",
        'InvalidJobPayloadError: Invalid payload for job "refund": always refused',
      ],
    ]);
  });
});
