import { expect, it } from "vitest";
import { decodeEnvelope, encodeEnvelope } from "../envelope.js";
import {
  DEAD_LETTER_ATTRIBUTES,
  type OutgoingMessage,
  type ReceivedMessage,
} from "../queue-driver.js";
import type { DriverContractFixture } from "./driver-contract.js";

/**
 * The contract's cases where a driver must behave as SQS does rather than as is convenient:
 * message contents SQS refuses, stale receipt handles, and SQS's own redrive at
 * `maxReceiveCount`. Called inside the contract's `describe`; `fixture()` is the current test's.
 */
export function sqsFidelityCases(fixture: () => DriverContractFixture): void {
  const message = (extra: Partial<OutgoingMessage> = {}): OutgoingMessage => ({
    queue: fixture().queue,
    body: '{"fidelity":true}',
    attributes: { "glasswork.job": "contract" },
    ...extra,
  });

  async function receiveOne(queue: string, visibilityTimeoutSeconds = 30) {
    for (let tries = 0; tries < 10; tries++) {
      const [received] = await fixture().driver.receive(queue, {
        maxMessages: 1,
        waitTimeSeconds: tries === 0 ? 0 : 1,
        visibilityTimeoutSeconds,
      });
      if (received) return received;
    }
    throw new Error(`nothing received from ${queue}`);
  }

  async function expectRefused(m: OutgoingMessage, pattern: RegExp) {
    const [result] = await fixture().driver.send([m]);
    expect(result?.ok).toBe(false);
    if (result && !result.ok) {
      expect(result.retryable).toBe(false);
      expect(result.error.message).toMatch(pattern);
    }
  }

  it("refuses a body holding U+FFFF or a lone surrogate, as SQS does, without retrying", async () => {
    await expectRefused(
      message({ body: '{"a":"\uFFFF"}' }),
      /InvalidMessageContents|invalid char/i,
    );
    await expectRefused(
      message({ body: '{"a":"\uD800"}' }),
      /InvalidMessageContents|invalid char/i,
    );
    expect(await fixture().driver.stats(fixture().queue)).toMatchObject({ visible: 0 });
  });

  it("refuses an attribute value holding U+FFFF, as SQS does", async () => {
    await expectRefused(
      message({ attributes: { "glasswork.job": "contract", note: "x\uFFFF" } }),
      /InvalidMessageContents|invalid char/i,
    );
  });

  // Astral characters (U+10000 and up), which SQS accepts, are left out: fauxqs refuses them.
  it("carries an envelope whose payload holds U+FFFE and U+FFFF", async () => {
    const payload = { text: "a\uFFFEb\uFFFFc \uFFFD" };
    const body = encodeEnvelope({
      v: 1,
      id: "fidelity-1",
      name: "contract",
      payload,
      enqueuedAt: "2026-12-01T00:00:00.000Z",
    });
    const [result] = await fixture().driver.send([message({ body })]);
    expect(result?.ok).toBe(true);
    const decoded = decodeEnvelope((await receiveOne(fixture().queue)).body);
    expect(decoded.ok && decoded.envelope.payload).toEqual(payload);
  });

  it("accepts a delete with a stale receipt handle, as SQS does, and deletes with the current one", async () => {
    const { driver, queue } = fixture();
    await driver.send([message()]);
    const first = await receiveOne(queue, 0);
    const second = await receiveOne(queue);
    expect(second.messageId).toBe(first.messageId);
    await expect(driver.delete(queue, [first.receiptHandle])).resolves.toBeUndefined();
    await driver.delete(queue, [second.receiptHandle]);
    expect(await driver.stats(queue)).toEqual({ visible: 0, inFlight: 0, delayed: 0 });
  });

  it("moves a message received maxReceiveCount times as SQS does: same id, no glasswork.dlq.* attributes, receive count kept", async () => {
    const { driver, queue, deadLetterQueue, maxReceiveCount } = fixture();
    const [sent] = await driver.send([message()]);
    const received: ReceivedMessage[] = [];
    for (let i = 0; i < maxReceiveCount; i++) received.push(await receiveOne(queue, 0));
    expect(received.map((m) => m.receiveCount)).toEqual(
      Array.from({ length: maxReceiveCount }, (_, i) => i + 1),
    );
    // The next receive finds the count used up, and the queue moves the message.
    expect(await driver.receive(queue, { maxMessages: 10, visibilityTimeoutSeconds: 0 })).toEqual(
      [],
    );

    const dead = await receiveOne(deadLetterQueue);
    expect(dead.messageId).toBe(sent?.ok ? sent.messageId : "");
    expect(dead.body).toBe('{"fidelity":true}');
    expect(dead.attributes).toEqual({ "glasswork.job": "contract" });
    expect(Object.values(DEAD_LETTER_ATTRIBUTES).some((name) => name in dead.attributes)).toBe(
      false,
    );
    expect(dead.receiveCount).toBeGreaterThan(maxReceiveCount);
  });
}
