import { describe, expect, it } from "vitest";
import { RunLedger } from "./run-ledger.js";

describe("RunLedger", () => {
  it("counts releases and failures per message until it is forgotten", () => {
    const ledger = new RunLedger();
    expect(ledger.get("m1")).toEqual({ releases: 0, failures: 0 });
    ledger.released("m1");
    ledger.released("m1");
    ledger.failed("m1");
    expect(ledger.get("m1")).toEqual({ releases: 2, failures: 1 });
    ledger.forget("m1");
    expect(ledger.get("m1")).toEqual({ releases: 0, failures: 0 });
    expect(ledger.size).toBe(0);
  });

  it("drops the least recently touched message beyond its capacity", () => {
    const ledger = new RunLedger(2);
    ledger.released("a");
    ledger.released("b");
    ledger.failed("a"); // a is now the most recent
    ledger.released("c");
    expect(ledger.size).toBe(2);
    expect(ledger.get("b")).toEqual({ releases: 0, failures: 0 });
    expect(ledger.get("a")).toEqual({ releases: 1, failures: 1 });
    expect(ledger.get("c")).toEqual({ releases: 1, failures: 0 });
  });

  it("keeps a pending dead-letter through later releases until it is forgotten", () => {
    const ledger = new RunLedger();
    const pending = {
      reason: "permanent" as const,
      error: new Error("card declined"),
      attempt: 1,
      envelope: undefined,
      execution: undefined,
      target: undefined,
    };
    ledger.deadLetterPending("m1", pending);
    ledger.released("m1");
    expect(ledger.get("m1")).toEqual({ releases: 1, failures: 0, deadLetter: pending });
    ledger.forget("m1");
    expect(ledger.get("m1").deadLetter).toBeUndefined();
  });
});
