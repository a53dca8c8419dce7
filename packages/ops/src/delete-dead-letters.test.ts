import { isJobError } from "@glasswork/core";
import { describe, expect, it } from "vitest";
import { deleteDeadLetters } from "./delete-dead-letters.js";
import { listDeadLetters } from "./list-dead-letters.js";
import { manyDeadLetters, mockWithDeadLetters } from "./test-dead-letters.js";

const noWait = { waitTimeSeconds: 0 } as const;

describe("deleteDeadLetters", () => {
  it("deletes one dead letter by id and keeps the others", async () => {
    const { driver, clock } = await mockWithDeadLetters(manyDeadLetters(3));
    const { letters } = await listDeadLetters(driver, "default", noWait);
    const target = letters[1]?.messageId as string;

    const result = await deleteDeadLetters(driver, "default", {
      ...noWait,
      now: () => clock.now(),
      messageId: target,
      confirm: "default",
    });

    expect(result).toMatchObject({ deleted: 1, messageIds: [target] });
    const left = await listDeadLetters(driver, "default", noWait);
    expect(left.letters.map((d) => d.messageId)).toEqual([
      letters[0]?.messageId,
      letters[2]?.messageId,
    ]);
  });

  it("purges every dead letter of the queue when confirmed", async () => {
    const { driver, clock } = await mockWithDeadLetters(manyDeadLetters(15));
    const result = await deleteDeadLetters(driver, "default", {
      ...noWait,
      now: () => clock.now(),
      confirm: "default",
    });
    expect(result.deleted).toBe(15);
    expect((await driver.stats("default-dlq")).visible).toBe(0);
  });

  it("deletes nothing without the confirmation, with an error that says what to pass", async () => {
    const { driver } = await mockWithDeadLetters(manyDeadLetters(2));
    const error = await deleteDeadLetters(driver, "default", { confirm: "defualt" }).catch(
      (e) => e,
    );
    expect(isJobError(error, "CONFIRMATION_REQUIRED")).toBe(true);
    expect(error.message).toContain('{ confirm: "default" }');
    expect((await driver.stats("default-dlq")).visible).toBe(2);
  });
});
