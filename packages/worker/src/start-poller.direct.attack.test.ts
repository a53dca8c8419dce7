// Attacks on the poller's direct path (merge 9bd484e): a handler made by bootstrapWorker gets the
// driver's messages without Lambda records or a Lambda context. Each test holds the direct path
// to what the poller did at c9c7de0, where every handler got Lambda events (the Lambda path,
// reached here by a plain wrapper function). Each proved a problem that is now fixed, except the
// hooks' view of the message, whose difference was decided and is pinned here as documented.
import {
  defineJob,
  JobService,
  PermanentJobError,
  type Services,
  type WorkerHooks,
} from "@glasswork/core";
import { MockQueueDriver } from "@glasswork/driver-mock";
import type { Context, SQSBatchResponse, SQSEvent } from "aws-lambda";
import { afterEach, describe, expect, it, vi } from "vitest";
import { bootstrapWorker, type WorkerHandler } from "./bootstrap-worker.js";
import { type Poller, type PollerOptions, startPoller } from "./start-poller.js";
import { recordingLogger, sleep, startTestPoller } from "./test-harness.js";

const running: Poller[] = [];
afterEach(async () => {
  vi.useRealTimers();
  await Promise.all(running.splice(0).map((p) => p.stop()));
});

type Handler = PollerOptions["handler"];

function setup(hooks: WorkerHooks[] = []) {
  const driver = new MockQueueDriver({ deadLetterQueues: { default: "dlq" } });
  const ran: number[] = [];
  const ok = defineJob<{ n: number }>({
    name: "ok",
    handler: (payload) => {
      ran.push(payload.n);
    },
  });
  const broken = defineJob<{ n: number }>({
    name: "broken",
    handler: () => {
      throw new PermanentJobError("never");
    },
  });
  const worker = bootstrapWorker({
    jobs: [ok, broken],
    driver,
    hooks,
    logger: recordingLogger().logger,
  });
  return { driver, worker, ran, ok, broken, service: new JobService(driver) };
}

function poll(driver: MockQueueDriver, handler: Handler, more: Partial<PollerOptions> = {}) {
  return startTestPoller(running, { handler, driver, ...more });
}

async function until(condition: () => boolean): Promise<void> {
  for (let i = 0; i < 500 && !condition(); i++) await sleep(10);
}

/** Polls with `handler` until the poller deletes what finished (its first batch ran), and stops. */
async function pollFirstBatch(driver: MockQueueDriver, handler: Handler): Promise<void> {
  const deletes = vi.spyOn(driver, "delete");
  const poller = poll(driver, handler);
  await until(() => deletes.mock.calls.length > 0);
  await poller.stop();
}

describe("a handler that wraps bootstrapWorker's handler", () => {
  // A Proxy forwards property reads to its target, so the poller found the shortcut on it and
  // called the worker around the Proxy's apply trap: the wrapper's code never ran.
  it("is called through a Proxy's apply trap, once per batch", async () => {
    const s = setup();
    await s.service.enqueue(s.ok, { n: 1 });
    let trapped = 0;
    const proxied = new Proxy(s.worker, {
      apply(target, thisArg, args: Parameters<WorkerHandler>) {
        trapped++;
        return Reflect.apply(target, thisArg, args);
      },
    }) as Handler;
    await pollFirstBatch(s.driver, proxied);
    expect(s.ran).toEqual([1]);
    expect(trapped).toBe(1);
  });

  // vitest's vi.fn(impl) copies impl's own properties, the hidden entry included: a spy on the
  // worker handler was never called, and a mockImplementationOnce (a fault injected in a test)
  // never took effect.
  it("is called when it is a vi.fn spy of the worker handler", async () => {
    const s = setup();
    await s.service.enqueue(s.ok, { n: 1 });
    const spy = vi.fn(s.worker);
    await pollFirstBatch(s.driver, spy as unknown as Handler);
    expect(spy).toHaveBeenCalledTimes(1);
    expect(spy.mock.calls[0]?.[0]).toMatchObject({ Records: [{ eventSource: "aws:sqs" }] });
  });

  it("takes effect when a vi.fn spy injects a whole-batch failure", async () => {
    const s = setup();
    await s.service.enqueue(s.ok, { n: 1 });
    const spy = vi.fn(s.worker);
    spy.mockImplementationOnce((async () => {
      throw new Error("injected");
    }) as unknown as WorkerHandler);
    const receives = vi.spyOn(s.driver, "receive");
    const poller = poll(s.driver, spy as unknown as Handler, { visibilityTimeout: 1 });
    await until(() => s.ran.length > 0 || receives.mock.calls.length > 3);
    await poller.stop();
    // The injected failure failed the first batch: the job ran only on a later receive.
    expect(spy.mock.calls.length).toBeGreaterThanOrEqual(2);
  });

  // The pattern of mimic-function (onetime, p-memoize…): the wrapper takes the wrapped
  // function's own properties, symbols and non-enumerable ones included.
  it("is called when it copied the handler's own properties (mimic-function style)", async () => {
    const s = setup();
    await s.service.enqueue(s.ok, { n: 1 });
    let wrapped = 0;
    const wrapper = async (event: SQSEvent, context: Context) => {
      wrapped++;
      return s.worker(event, context);
    };
    for (const key of Reflect.ownKeys(s.worker)) {
      if (key === "length" || key === "name" || key === "prototype") continue;
      Object.defineProperty(
        wrapper,
        key,
        Object.getOwnPropertyDescriptor(s.worker, key) as PropertyDescriptor,
      );
    }
    await pollFirstBatch(s.driver, wrapper);
    expect(s.ran).toEqual([1]);
    expect(wrapped).toBe(1);
  });
});

describe("the imitated function timeout with a slow services factory", () => {
  // On Lambda (and on the poller at c9c7de0) the function's time starts with the invocation:
  // services created at cold start use it up. The direct path started the clock after them.
  it("counts the services' creation against functionTimeoutSeconds, as the Lambda path does", async () => {
    vi.useFakeTimers({
      toFake: ["setTimeout", "clearTimeout", "setInterval", "clearInterval", "Date", "performance"],
    });
    const outcome = async (wrap: boolean) => {
      const driver = new MockQueueDriver();
      const ran: number[] = [];
      const job = defineJob<{ n: number }>({ name: "ok", handler: (p) => void ran.push(p.n) });
      const worker = bootstrapWorker({
        jobs: [job],
        driver,
        logger: recordingLogger().logger,
        // Connecting takes longer than the whole function timeout.
        services: () => new Promise((resolve) => setTimeout(() => resolve({} as Services), 4_000)),
      });
      await new JobService(driver).enqueue(job, { n: 1 });
      const handler: Handler = wrap ? (event, context) => worker(event, context) : worker;
      // The first batch's end (a release or a delete) stops the poller: one batch is compared.
      const stopping = new AbortController();
      const released: number[] = [];
      const changeVisibility = driver.changeVisibility.bind(driver);
      driver.changeVisibility = (queue, handle, seconds) => {
        released.push(seconds);
        stopping.abort();
        return changeVisibility(queue, handle, seconds);
      };
      const remove = driver.delete.bind(driver);
      driver.delete = (queue, handles) => {
        stopping.abort();
        return remove(queue, handles);
      };
      const poller = startPoller({
        handler,
        driver,
        queue: "default",
        waitTimeSeconds: 0,
        functionTimeoutSeconds: 3,
        signal: stopping.signal,
        stopOnSignals: [],
        logger: recordingLogger().logger,
      });
      for (let i = 0; i < 100 && !stopping.signal.aborted; i++)
        await vi.advanceTimersByTimeAsync(100);
      const stopped = poller.stop();
      await vi.advanceTimersByTimeAsync(2_000);
      await stopped;
      return { ran, released };
    };
    const lambda = await outcome(true);
    const direct = await outcome(false);
    // The Lambda path has no time left once the services exist: the record is released unrun.
    expect(lambda).toEqual({ ran: [], released: [0] });
    expect(direct).toEqual(lambda);
  });
});

describe("what onJobDeadLetter gets on the direct path", () => {
  // At c9c7de0 the worker read its messages back from Lambda records: the hook's `message` was
  // the worker's own copy. On the direct path it is the very object the poller deletes with, so
  // a hook writing to it changed which receipt handles the poller deleted.
  it("cannot make the poller miss the delete of a completed sibling by writing to event.message", async () => {
    const hooks: WorkerHooks = {
      onJobDeadLetter: (event) => {
        (event.message as { receiptHandle: string }).receiptHandle = "scrubbed";
      },
    };
    const s = setup([hooks]);
    // The dead letter first: the mock deletes handles in order and refuses a made-up one.
    await s.service.enqueueBatch([
      { job: s.broken, payload: { n: 2 } },
      { job: s.ok, payload: { n: 1 } },
    ]);
    await pollFirstBatch(s.driver, s.worker);
    expect(s.ran).toEqual([1]);
    expect(s.driver.deadLetters.map((d) => d.reason)).toEqual(["permanent"]);
    // The completed job's message is gone, not waiting to run a second time.
    expect(s.driver.messages("default")).toEqual([]);
  });

  // On Lambda a record always carries a SenderId and the worker keeps no MD5 digests; the
  // direct path hands hooks the driver's message as it is (the mock gives no SenderId, the SQS
  // driver adds md5OfBody / md5OfMessageAttributes). DECIDED: kept (normalising every message
  // would undo the shortcut) and documented in the README's poller section. This test pins what
  // must be the same — every field but those optional ones — and the one documented difference.
  it("is the message as the Lambda path reads it, but for the driver's optional fields", async () => {
    const seen = async (wrap: boolean) => {
      let message: unknown;
      const s = setup([
        {
          onJobDeadLetter: (event) => {
            message = { ...event.message };
          },
        },
      ]);
      await s.service.enqueue(s.broken, { n: 2 });
      const handler: Handler = wrap
        ? (event, context) => s.worker(event, context) as Promise<SQSBatchResponse>
        : s.worker;
      await pollFirstBatch(s.driver, handler);
      const {
        receiptHandle: _h,
        messageId: _i,
        sentTimestamp: _s,
        firstReceiveTimestamp: _f,
        // Each run enqueues its own job: a new id and time in the body.
        body: _b,
        ...rest
      } = message as Record<string, unknown>;
      return rest;
    };
    const lambda = await seen(true);
    const direct = await seen(false);
    expect(lambda).toHaveProperty("senderId");
    expect(direct).not.toHaveProperty("senderId");
    const { senderId: _sender, ...lambdaWithoutSender } = lambda;
    expect(direct).toEqual(lambdaWithoutSender);
  });
});
