import { defineJob, PermanentJobError } from "@glasswork/core";
import { describe, expect, it } from "vitest";
import { lambdaContext, latch, setupWorker, sqsEvent } from "./test-harness.js";

// Issue 12 item 9. SQS fair queues (2025) are standard queues whose producers set a
// MessageGroupId, and Lambda's records then carry `attributes.MessageGroupId`. They are not
// FIFO: records must run concurrently, and a failure must not hold back the rest of the "group".
// (On fauxqs 1.9.2 a standard queue drops the group id on receive, so the records are built here
// as Lambda delivers them: a standard queue's ARN, group ids in the attributes.)

describe("a standard queue whose producer sets MessageGroupId (SQS fair queue)", () => {
  it("runs the records of one group concurrently and does not hold them back after a failure", async () => {
    const events: string[] = [];
    const secondStarted = latch();
    const job = defineJob<{ step: string }>({
      name: "tenant-sync",
      retry: { maxAttempts: 3 },
      handler: async ({ step }) => {
        events.push(`${step}:start`);
        // Serialised records would deadlock here: the second cannot start before the first ends.
        if (step === "first") await secondStarted.promise;
        if (step === "second") secondStarted.resolve();
        if (step === "third") throw new PermanentJobError("tenant gone");
        events.push(`${step}:end`);
      },
    });
    const w = setupWorker({ jobs: [job], hookSets: [], worker: { concurrency: 2 } });
    for (const step of ["first", "second", "third", "fourth"]) await w.jobs.enqueue(job, { step });
    const received = (await w.driver.receive("default", { maxMessages: 10 })).map((m) => ({
      ...m,
      groupId: "tenant-a",
    }));
    const event = sqsEvent(received);
    expect(event.Records.every((r) => r.attributes.MessageGroupId === "tenant-a")).toBe(true);
    expect(event.Records[0]?.eventSourceARN).toMatch(/:default$/);

    const response = await w.handler(event, lambdaContext());

    expect(events.indexOf("second:start")).toBeLessThan(events.indexOf("first:end"));
    expect(events).toContain("fourth:end");
    expect(response.batchItemFailures).toEqual([]);
    expect(w.driver.deadLetters.map((d) => d.reason)).toEqual(["permanent"]);
  });

  it("still serialises and short-circuits a group on a .fifo queue", async () => {
    const events: string[] = [];
    const job = defineJob<{ step: string }>({
      name: "ship",
      queue: "orders.fifo",
      group: () => "order-1",
      handler: ({ step }) => {
        events.push(step);
        if (step === "first") throw new Error("carrier down");
      },
    });
    const w = setupWorker({ jobs: [job], hookSets: [] });
    for (const step of ["first", "second"]) await w.jobs.enqueue(job, { step });
    const { failed, received } = await w.invoke("orders.fifo");
    expect(events).toEqual(["first"]);
    expect(failed).toEqual(received.map((m) => m.messageId));
  });
});
