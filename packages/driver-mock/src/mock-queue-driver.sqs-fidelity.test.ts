import {
  DEAD_LETTER_ATTRIBUTES,
  defineJob,
  JobService,
  type OutgoingMessage,
} from "@glasswork/core";
import { describe, expect, it } from "vitest";
import { ManualClock } from "./clock.js";
import { MockQueueDriver } from "./mock-queue-driver.js";

// Issue 18 items 4 and 6: the mock accepted what SQS refuses, and its redrive at
// maxReceiveCount did not look like SQS's.

const message = (extra: Partial<OutgoingMessage> = {}): OutgoingMessage => ({
  queue: "q",
  body: "{}",
  attributes: { "glasswork.job": "j" },
  ...extra,
});

async function refusal(driver: MockQueueDriver, m: OutgoingMessage): Promise<string> {
  const [result] = await driver.send([m]);
  if (!result || result.ok) throw new Error("expected the message to be refused");
  expect(result.retryable).toBe(false);
  return result.error.message;
}

describe("a message SQS would refuse, sent to the mock", () => {
  it.each([
    ["U+FFFF", "a\uFFFF"],
    ["U+FFFE", "\uFFFE"],
    ["a lone surrogate", "\uD83D!"],
    ["NUL", "\u0000"],
  ])("is refused with InvalidMessageContents when its body holds %s", async (_, body) => {
    const driver = new MockQueueDriver();
    expect(await refusal(driver, message({ body }))).toMatch(
      /InvalidMessageContents: the body holds U\+[0-9A-F]{4} at index \d+; SQS accepts #x9/,
    );
    expect(driver.messages("q")).toEqual([]);
  });

  it("is refused when an attribute value holds U+FFFF, or is empty", async () => {
    const driver = new MockQueueDriver();
    expect(await refusal(driver, message({ attributes: { note: "x\uFFFF" } }))).toMatch(
      /InvalidMessageContents: the message attribute "note" holds U\+FFFF/,
    );
    expect(await refusal(driver, message({ attributes: { note: "" } }))).toMatch(/is empty/);
  });

  it("is refused with more than 10 attributes or an attribute name SQS does not allow", async () => {
    const driver = new MockQueueDriver();
    const eleven = Object.fromEntries(Array.from({ length: 11 }, (_, i) => [`a${i}`, "v"]));
    expect(await refusal(driver, message({ attributes: eleven }))).toMatch(
      /over SQS's limit of 10/,
    );
    for (const name of ["AWS.trace", "has space", ".lead", "a..b", "trail."]) {
      expect(await refusal(driver, message({ attributes: { [name]: "v" } }))).toMatch(
        /attribute name .* is not valid/,
      );
    }
  });

  it("is accepted with characters SQS accepts: astral, U+FFFD, tab and newline", async () => {
    const driver = new MockQueueDriver();
    const [result] = await driver.send([
      message({ body: "😀 \uFFFD \t\n\r", attributes: { "my-app.note_1": "é😀" } }),
    ]);
    expect(result?.ok).toBe(true);
  });

  it("arrives when JobService sends a payload holding U+FFFF, escaped in the envelope", async () => {
    const importRow = defineJob<{ cell: string }>({ name: "import-row", handler: () => {} });
    const driver = new MockQueueDriver();
    await new JobService(driver).enqueue(importRow, { cell: "end\uFFFF" });
    driver.expectEnqueued(importRow, { cell: "end\uFFFF" });
  });
});

describe("a message received maxReceiveCount times without being deleted", () => {
  it("moves to the dead-letter queue as SQS moves it: same id, no glasswork.dlq.* attributes, receive count kept", async () => {
    const clock = new ManualClock();
    const driver = new MockQueueDriver({ clock, maxReceiveCount: { jobs: 3 } });
    const [sent] = await driver.send([
      message({ queue: "jobs", attributes: { "glasswork.job": "crashy" } }),
    ]);
    for (let i = 0; i < 3; i++) {
      await driver.receive("jobs", { visibilityTimeoutSeconds: 1 });
      clock.advance(2);
    }
    expect(await driver.receive("jobs")).toEqual([]);

    const [dead] = await driver.receive("jobs-dlq");
    expect(dead?.messageId).toBe(sent?.ok ? sent.messageId : "");
    expect(dead?.attributes).toEqual({ "glasswork.job": "crashy" });
    expect(Object.keys(dead?.attributes ?? {})).not.toContain(DEAD_LETTER_ATTRIBUTES.reason);
    expect(dead?.receiveCount).toBe(4);
    expect(driver.deadLetters).toEqual([
      expect.objectContaining({ queue: "jobs", reason: "max-receive-count", attempt: 3 }),
    ]);
  });
});
