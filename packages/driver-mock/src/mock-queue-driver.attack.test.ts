import { describe, expect, it } from "vitest";
import { ManualClock } from "./clock.js";
import { MockQueueDriver } from "./mock-queue-driver.js";

// Review attack on the mock's SQS fidelity: a gap it proved, fixed since; the test keeps it fixed.

describe("a message received 11 h 55 min ago whose visibility is extended by 10 min (a heartbeat)", () => {
  // SQS refuses a visibility that ends more than 12 h after the receive (DESIGN §9: fauxqs does
  // not enforce it, "so test it on the mock"). The mock used to cap each change at 12 h from now
  // only, so a poller heartbeat past 12 h succeeded here and failed on SQS.
  it("refuses the change, as SQS does", async () => {
    const clock = new ManualClock();
    const driver = new MockQueueDriver({ clock });
    await driver.send([{ queue: "default", body: "{}", attributes: {} }]);
    const [message] = await driver.receive("default", {
      maxMessages: 1,
      visibilityTimeoutSeconds: 43_200,
    });
    if (!message) throw new Error("nothing received");
    clock.advance("11h");
    clock.advance("55m");
    await expect(driver.changeVisibility("default", message.receiptHandle, 600)).rejects.toThrow();
  });
});
