import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { isJobError } from "../errors.js";
import {
  DEAD_LETTER_ATTRIBUTES,
  type OutgoingMessage,
  type QueueDriver,
  type ReceivedMessage,
} from "../queue-driver.js";
import { sqsFidelityCases } from "./sqs-fidelity-cases.js";

/** Fresh queues and a driver for one contract test. */
export interface DriverContractFixture {
  readonly driver: QueueDriver;
  /** A standard queue whose dead-letter queue is `deadLetterQueue`. */
  readonly queue: string;
  /** The dead-letter queue of `queue`, as the driver names it in `queueInfo`. */
  readonly deadLetterQueue: string;
  /** A standard queue without a dead-letter queue. */
  readonly queueWithoutDeadLetter: string;
  /** A FIFO queue (its name ends in `.fifo`). */
  readonly fifoQueue: string;
  /**
   * The `maxReceiveCount` of `queue`'s redrive policy. Keep it small: a test receives the
   * message that many times, with visibility 0, to see the queue move it.
   */
  readonly maxReceiveCount: number;
  /** Lets `seconds` pass for the driver: advance a fake clock, or sleep for a real server. */
  advance(seconds: number): Promise<void>;
}

/** Options of {@link runQueueDriverContract}. */
export interface DriverContractOptions {
  /** Shown in the test names. */
  readonly name: string;
  /** Creates fresh queues and a driver; called before every test. */
  setup(): Promise<DriverContractFixture>;
  /** Cleans up after every test; `driver.dispose()` is called before it. */
  teardown?(fixture: DriverContractFixture): Promise<void>;
}

/**
 * The behaviour every {@link QueueDriver} must have, as a vitest suite. Call it from a test
 * file of your driver; each test gets fresh queues from `setup`.
 *
 * @example
 * // given: ManualClock, MockQueueDriver
 * runQueueDriverContract({
 *   name: "MockQueueDriver",
 *   setup: async () => {
 *     const clock = new ManualClock();
 *     const driver = new MockQueueDriver({
 *       clock, deadLetterQueues: { lonely: null }, maxReceiveCount: { jobs: 3 },
 *     });
 *     return { driver, queue: "jobs", deadLetterQueue: "jobs-dlq", queueWithoutDeadLetter: "lonely",
 *       fifoQueue: "ordered.fifo", maxReceiveCount: 3, advance: async (s) => clock.advance(s) };
 *   },
 * });
 */
export function runQueueDriverContract(options: DriverContractOptions): void {
  describe(`QueueDriver contract: ${options.name}`, () => {
    let fx: DriverContractFixture;

    beforeEach(async () => {
      fx = await options.setup();
    });
    afterEach(async () => {
      await fx.driver.dispose();
      await options.teardown?.(fx);
    });

    sqsFidelityCases(() => fx);

    const message = (body: string, extra: Partial<OutgoingMessage> = {}): OutgoingMessage => ({
      queue: fx.queue,
      body,
      attributes: { "glasswork.job": "contract" },
      ...extra,
    });

    async function receiveUntil(queue: string, count: number, visibilityTimeoutSeconds = 30) {
      const received: ReceivedMessage[] = [];
      for (let tries = 0; tries < 20 && received.length < count; tries++) {
        const batch = await fx.driver.receive(queue, {
          maxMessages: Math.min(10, count - received.length),
          waitTimeSeconds: tries === 0 ? 0 : 1,
          visibilityTimeoutSeconds,
        });
        received.push(...batch);
        if (batch.length === 0 && tries > 2) break;
      }
      return received;
    }

    it("sends one message and receives it with its body, attributes and receive count 1", async () => {
      const [result] = await fx.driver.send([message('{"hello":"world"}')]);
      expect(result).toMatchObject({ ok: true, messageId: expect.any(String) });

      const [received] = await receiveUntil(fx.queue, 1);
      expect(received).toMatchObject({
        queue: fx.queue,
        body: '{"hello":"world"}',
        attributes: { "glasswork.job": "contract" },
        receiveCount: 1,
        messageId: result?.ok ? result.messageId : "",
      });
      expect(received?.receiptHandle).toEqual(expect.any(String));
      expect(received?.sentTimestamp).toBeGreaterThan(0);
    });

    it("sends 25 messages in one call with one result per message, in order", async () => {
      const bodies = Array.from({ length: 25 }, (_, i) => `{"n":${i}}`);
      const results = await fx.driver.send(bodies.map((body) => message(body)));
      expect(results).toHaveLength(25);
      expect(results.every((r) => r.ok)).toBe(true);
      expect(new Set(results.map((r) => (r.ok ? r.messageId : ""))).size).toBe(25);

      const received = await receiveUntil(fx.queue, 25);
      expect(received.map((m) => m.body).sort()).toEqual([...bodies].sort());
    });

    it("receives nothing from an empty queue", async () => {
      expect(await fx.driver.receive(fx.queue, { maxMessages: 10 })).toEqual([]);
    });

    it("hides a received message until its visibility timeout ends, then counts the next receive", async () => {
      await fx.driver.send([message("{}")]);
      const [first] = await receiveUntil(fx.queue, 1, 1);
      expect(first?.receiveCount).toBe(1);
      expect(await fx.driver.receive(fx.queue, { maxMessages: 10 })).toEqual([]);

      await fx.advance(1.5);
      const [second] = await receiveUntil(fx.queue, 1);
      expect(second?.messageId).toBe(first?.messageId);
      expect(second?.receiveCount).toBe(2);
    });

    it("makes a message visible at once with changeVisibility(0)", async () => {
      await fx.driver.send([message("{}")]);
      const [first] = await receiveUntil(fx.queue, 1);
      await fx.driver.changeVisibility(fx.queue, first?.receiptHandle ?? "", 0);
      const [again] = await receiveUntil(fx.queue, 1);
      expect(again?.messageId).toBe(first?.messageId);
      expect(again?.receiveCount).toBe(2);
    });

    it("deletes received messages for good", async () => {
      await fx.driver.send([message('{"a":1}'), message('{"a":2}')]);
      const received = await receiveUntil(fx.queue, 2, 1);
      await fx.driver.delete(
        fx.queue,
        received.map((m) => m.receiptHandle),
      );
      await fx.advance(1.5);
      expect(await fx.driver.receive(fx.queue, { maxMessages: 10 })).toEqual([]);
      expect(await fx.driver.stats(fx.queue)).toEqual({ visible: 0, inFlight: 0, delayed: 0 });
    });

    it("delays a message by delaySeconds", async () => {
      await fx.driver.send([message('{"late":true}', { delaySeconds: 1 })]);
      expect(await fx.driver.receive(fx.queue, { maxMessages: 10 })).toEqual([]);
      await fx.advance(1.5);
      const [received] = await receiveUntil(fx.queue, 1);
      expect(received?.body).toBe('{"late":true}');
    });

    it("reports visible, in-flight and delayed messages in stats", async () => {
      await fx.driver.send([message("{}"), message("{}"), message("{}", { delaySeconds: 60 })]);
      await receiveUntil(fx.queue, 1);
      expect(await fx.driver.stats(fx.queue)).toEqual({ visible: 1, inFlight: 1, delayed: 1 });
    });

    it("moves a message to the dead-letter queue with its details and deletes the original", async () => {
      await fx.driver.send([message('{"poison":true}')]);
      const [received] = await receiveUntil(fx.queue, 1, 1);
      if (!received) throw new Error("nothing received");
      await fx.driver.moveToDeadLetter(received, {
        reason: "permanent",
        error: "user gone",
        attempt: 1,
      });

      const [dead] = await receiveUntil(fx.deadLetterQueue, 1);
      expect(dead?.body).toBe('{"poison":true}');
      expect(dead?.attributes).toMatchObject({
        "glasswork.job": "contract",
        [DEAD_LETTER_ATTRIBUTES.reason]: "permanent",
        [DEAD_LETTER_ATTRIBUTES.error]: "user gone",
        [DEAD_LETTER_ATTRIBUTES.attempt]: "1",
        [DEAD_LETTER_ATTRIBUTES.sourceQueue]: fx.queue,
      });
      await fx.advance(1.5);
      expect(await fx.driver.receive(fx.queue, { maxMessages: 10 })).toEqual([]);
    });

    it("refuses to dead-letter from a queue without a dead-letter queue, and keeps the message", async () => {
      await fx.driver.send([message("{}", { queue: fx.queueWithoutDeadLetter })]);
      const [received] = await receiveUntil(fx.queueWithoutDeadLetter, 1);
      if (!received) throw new Error("nothing received");
      const error = await fx.driver
        .moveToDeadLetter(received, { reason: "permanent", attempt: 1 })
        .catch((e: unknown) => e);
      expect(isJobError(error, "NO_DEAD_LETTER_QUEUE")).toBe(true);
      expect(await fx.driver.stats(fx.queueWithoutDeadLetter)).toMatchObject({ inFlight: 1 });
    });

    it("describes queues: FIFO and dead-letter queue", async () => {
      expect(await fx.driver.queueInfo(fx.queue)).toMatchObject({
        fifo: false,
        deadLetterQueue: fx.deadLetterQueue,
      });
      expect(await fx.driver.queueInfo(fx.queueWithoutDeadLetter)).toMatchObject({
        fifo: false,
        deadLetterQueue: undefined,
      });
      expect(await fx.driver.queueInfo(fx.fifoQueue)).toMatchObject({ fifo: true });
    });

    it("keeps the order of a FIFO message group", async () => {
      const bodies = Array.from({ length: 8 }, (_, i) => `{"seq":${i}}`);
      const results = await fx.driver.send(
        bodies.map((body, i) =>
          message(body, { queue: fx.fifoQueue, groupId: "g1", deduplicationId: `d${i}` }),
        ),
      );
      expect(results.every((r) => r.ok)).toBe(true);
      // Receive and delete, as a consumer does: SQS may hand out one message of a group at a
      // time while the previous one is in flight.
      const order: string[] = [];
      for (let tries = 0; tries < 40 && order.length < bodies.length; tries++) {
        const batch = await fx.driver.receive(fx.fifoQueue, {
          maxMessages: 10,
          waitTimeSeconds: 1,
        });
        for (const received of batch) expect(received.groupId).toBe("g1");
        order.push(...batch.map((m) => m.body));
        if (batch.length > 0) {
          await fx.driver.delete(
            fx.fifoQueue,
            batch.map((m) => m.receiptHandle),
          );
        }
      }
      expect(order).toEqual(bodies);
    });

    it("drops a FIFO message whose deduplication id was already sent", async () => {
      const send = (body: string) =>
        fx.driver.send([
          message(body, { queue: fx.fifoQueue, groupId: "g", deduplicationId: "same" }),
        ]);
      expect((await send('{"copy":1}'))[0]?.ok).toBe(true);
      expect((await send('{"copy":2}'))[0]?.ok).toBe(true);
      const received = await receiveUntil(fx.fifoQueue, 2);
      expect(received.map((m) => m.body)).toEqual(['{"copy":1}']);
    });

    it("rejects a per-message delay on a FIFO queue with a clear, non-retryable error", async () => {
      const [result] = await fx.driver.send([
        message("{}", { queue: fx.fifoQueue, groupId: "g", deduplicationId: "d", delaySeconds: 5 }),
      ]);
      expect(result?.ok).toBe(false);
      if (result && !result.ok) {
        expect(result.retryable).toBe(false);
        expect(result.error.message).toMatch(/FIFO/);
      }
    });
  });
}
