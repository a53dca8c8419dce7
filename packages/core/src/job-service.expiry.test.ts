import { describe, expect, it } from "vitest";
import { defineJob } from "./define-job.js";
import { decodeEnvelope, type JobEnvelope } from "./envelope.js";
import { type EnqueueBatchError, isJobError } from "./errors.js";
import { JobService } from "./job-service.js";
import { FakeQueueDriver } from "./test-fake-driver.js";

// Issue 16 item 2: the expiry travels in the envelope as `expiresAt`, counted from the enqueue.

const NOW = Date.parse("2026-12-01T00:00:00.000Z");
const sendOtp = defineJob<{ userId: string }>({ name: "send-otp", handler: () => {} });
const sendOtpExpiring = defineJob<{ userId: string }>({
  name: "send-otp-expiring",
  expiresAfter: "10m",
  handler: () => {},
});

function world() {
  const driver = new FakeQueueDriver();
  const jobs = new JobService(driver, { now: () => NOW });
  const envelopes = (): JobEnvelope[] =>
    driver.sent.map((m) => {
      const decoded = decodeEnvelope(m.body);
      if (!decoded.ok) throw decoded.error;
      return decoded.envelope;
    });
  return { driver, jobs, envelopes };
}

async function rejection(promise: Promise<unknown>): Promise<unknown> {
  return promise.then(
    () => expect.unreachable("expected a rejection"),
    (e: unknown) => e,
  );
}

describe("expiresIn and expiresAfter at enqueue", () => {
  it("writes expiresAt, enqueue time plus expiresIn, into the envelope", async () => {
    const w = world();
    await w.jobs.enqueue(sendOtp, { userId: "u_1" }, { expiresIn: "10m" });
    expect(w.envelopes()[0]?.expiresAt).toBe("2026-12-01T00:10:00.000Z");
  });

  it("writes no expiresAt when neither the call nor the job sets one", async () => {
    const w = world();
    await w.jobs.enqueue(sendOtp, { userId: "u_1" });
    expect(w.envelopes()[0]).not.toHaveProperty("expiresAt");
  });

  it("uses the job's expiresAfter, and the call's expiresIn overrides it", async () => {
    const w = world();
    await w.jobs.enqueue(sendOtpExpiring, { userId: "u_1" });
    await w.jobs.enqueue(sendOtpExpiring, { userId: "u_2" }, { expiresIn: 30 });
    expect(w.envelopes().map((e) => e.expiresAt)).toEqual([
      "2026-12-01T00:10:00.000Z",
      "2026-12-01T00:00:30.000Z",
    ]);
  });

  it("counts the expiry from the enqueue, not from the due time, through enqueueIn and enqueueAt", async () => {
    const w = world();
    await w.jobs.enqueueIn(sendOtp, { userId: "u_1" }, "5m", { expiresIn: "10m" });
    await w.jobs.enqueueAt(sendOtp, { userId: "u_2" }, new Date(NOW + 3_600_000), {
      expiresIn: "2h",
    });
    const [first, second] = w.envelopes();
    expect(first?.expiresAt).toBe("2026-12-01T00:10:00.000Z");
    expect(second).toMatchObject({
      runAt: "2026-12-01T01:00:00.000Z",
      expiresAt: "2026-12-01T02:00:00.000Z",
    });
  });

  it("refuses a job due after its expiry with InvalidEnqueueOptionsError naming both times, and sends nothing", async () => {
    const w = world();
    const error = await rejection(
      w.jobs.enqueueIn(sendOtp, { userId: "u_1" }, "1h", { expiresIn: "10m" }),
    );
    expect(isJobError(error, "INVALID_ENQUEUE_OPTIONS")).toBe(true);
    expect((error as { option: string }).option).toBe("expiresIn");
    expect((error as Error).message).toMatch(
      /due at 2026-12-01T01:00:00.000Z, not before its expiry at 2026-12-01T00:10:00.000Z: it could never run/,
    );
    expect(w.driver.sent).toEqual([]);
  });

  it("refuses a job due exactly at its expiry", async () => {
    const w = world();
    const error = await rejection(w.jobs.enqueueIn(sendOtpExpiring, { userId: "u_1" }, "10m"));
    expect(isJobError(error, "INVALID_ENQUEUE_OPTIONS")).toBe(true);
  });

  it("refuses an expiresIn of 0 s or an unreadable one", async () => {
    const w = world();
    for (const expiresIn of [0, "ten minutes" as never]) {
      const error = await rejection(w.jobs.enqueue(sendOtp, { userId: "u_1" }, { expiresIn }));
      expect((error as { option?: string }).option).toBe("expiresIn");
    }
    expect(w.driver.sent).toEqual([]);
  });

  it("fails only the enqueueBatch item whose delay outlasts its expiry and sends the others with theirs", async () => {
    const w = world();
    const error = (await rejection(
      w.jobs.enqueueBatch([
        { job: sendOtp, payload: { userId: "u_1" }, options: { expiresIn: "10m" } },
        { job: sendOtp, payload: { userId: "u_2" }, options: { delay: "20m", expiresIn: "10m" } },
      ]),
    )) as EnqueueBatchError;
    expect(error.results.map((r) => r.ok)).toEqual([true, false]);
    expect(w.envelopes().map((e) => e.expiresAt)).toEqual(["2026-12-01T00:10:00.000Z"]);
  });

  it("rejects a job definition whose expiresAfter is 0 or whose onExpired is unknown", () => {
    expect(() => defineJob({ name: "x", expiresAfter: 0, handler: () => {} })).toThrow(
      /expiresAfter must be more than 0 s/,
    );
    expect(() => defineJob({ name: "x", onExpired: "ignore" as never, handler: () => {} })).toThrow(
      /onExpired must be "dead-letter" or "drop"/,
    );
  });
});

describe("decoding expiresAt", () => {
  const base = {
    v: 1,
    id: "j1",
    name: "send-otp",
    payload: {},
    enqueuedAt: "2026-12-01T00:00:00Z",
  };

  it("accepts an envelope with an ISO expiresAt, and one without (older producers)", () => {
    const withExpiry = decodeEnvelope(
      JSON.stringify({ ...base, expiresAt: "2026-12-01T00:10:00Z" }),
    );
    expect(withExpiry.ok && withExpiry.envelope.expiresAt).toBe("2026-12-01T00:10:00Z");
    expect(decodeEnvelope(JSON.stringify(base)).ok).toBe(true);
  });

  it("rejects an expiresAt that is not an ISO date as invalid-field", () => {
    const decoded = decodeEnvelope(JSON.stringify({ ...base, expiresAt: "tomorrow" }));
    expect(decoded.ok).toBe(false);
    expect(!decoded.ok && decoded.error.reason).toBe("invalid-field");
  });
});
