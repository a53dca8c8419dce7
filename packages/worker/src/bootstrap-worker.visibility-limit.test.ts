import { type Duration, defineJob, TransientJobError } from "@glasswork/core";
import { describe, expect, it } from "vitest";
import { RECEIVE_SLACK_SECONDS } from "./internal/record-visibility.js";
import { callsOf, setupWorker } from "./test-harness.js";

// Issue 12 item 12: SQS allows a visibility of at most 12 h counted from the *receive* (fauxqs
// does not enforce it, so this runs on the mock's ManualClock). A job that ran 2 h and asks to
// retry after 12 h (an upstream's daily quota) must get what is left of the 12 h: a change past
// it is refused, and the retry delay is lost.

describe("a job that ran 2 h and asks for a retry after 12 h (retryAfter 43,200 s)", () => {
  it("gets a visibility capped at 12 h after the receive, and comes back then", async () => {
    let advance: (duration: Duration) => void = () => {};
    const quota = defineJob<{ n: number }>({
      name: "export-to-partner",
      retry: { maxAttempts: 5 },
      handler: () => {
        advance("2h");
        throw new TransientJobError("daily quota used up", { retryAfter: 43_200 });
      },
    });
    // A queue visibility timeout longer than the run (6x the function timeout, as AWS advises).
    const w = setupWorker({ jobs: [quota], driver: { visibilityTimeoutSeconds: 3 * 3_600 } });
    advance = (duration) => w.clock.advance(duration);
    await w.jobs.enqueue(quota, { n: 1 });

    await w.invoke();

    // 12 h from the receive, less the 2 h run, less Lambda's longest batching window.
    const capped = 43_200 - 7_200 - RECEIVE_SLACK_SECONDS;
    expect(callsOf(w.calls, "onJobFailed")[0]?.args[2]).toMatchObject({
      willRetry: true,
      retryDelaySeconds: capped,
    });
    w.clock.advance(capped - 1);
    expect(await w.driver.stats("default")).toMatchObject({ visible: 0, inFlight: 1 });
    w.clock.advance(1);
    expect(await w.driver.stats("default")).toMatchObject({ visible: 1, inFlight: 0 });
  });

  it("keeps a short retry delay as it is", async () => {
    const flaky = defineJob<{ n: number }>({
      name: "flaky",
      handler: () => {
        throw new TransientJobError("503", { retryAfter: 30 });
      },
    });
    const w = setupWorker({ jobs: [flaky] });
    await w.jobs.enqueue(flaky, { n: 1 });
    await w.invoke();
    expect(callsOf(w.calls, "onJobFailed")[0]?.args[2]).toMatchObject({ retryDelaySeconds: 30 });
  });
});
