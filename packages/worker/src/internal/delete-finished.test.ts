import { MockQueueDriver } from "@glasswork/driver-mock";
import { describe, expect, it } from "vitest";
import { deleteFinished } from "./delete-finished.js";

async function received(count: number) {
  const driver = new MockQueueDriver();
  await driver.send(
    Array.from({ length: count }, (_, n) => ({
      queue: "default",
      body: `{"n":${n}}`,
      attributes: {},
    })),
  );
  return { driver, messages: await driver.receive("default", { maxMessages: 10 }) };
}

describe("deleteFinished", () => {
  it("deletes every record not reported failed, and all of them without a response", async () => {
    const { driver, messages } = await received(3);
    const failedId = messages[1]?.messageId ?? "";
    expect(
      await deleteFinished(driver, "default", messages, {
        batchItemFailures: [{ itemIdentifier: failedId }],
      }),
    ).toEqual({ done: 2, failed: 1, unknownIdentifier: false });
    expect(driver.messages("default").map((m) => m.messageId)).toEqual([failedId]);

    const other = await received(2);
    expect(await deleteFinished(other.driver, "default", other.messages, undefined)).toEqual({
      done: 2,
      failed: 0,
      unknownIdentifier: false,
    });
  });

  it("fails the whole batch, as Lambda does, when the response names a record not in it", async () => {
    const { driver, messages } = await received(2);
    expect(
      await deleteFinished(driver, "default", messages, {
        batchItemFailures: [{ itemIdentifier: "not-in-the-batch" }],
      }),
    ).toEqual({ done: 0, failed: 2, unknownIdentifier: true });
    expect(driver.messages("default")).toHaveLength(2);
  });
});
