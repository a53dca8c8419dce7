import { expect, it } from "vitest";
import { recordDocumentedResults } from "./documented-results.ts";
import { writeRunnableSnippet } from "./load-snippet.ts";

// Examples of pure functions that state their result in a comment. Left out: scheduleName (its
// comment is a pattern) and decideRetry (jittered).
const EXAMPLES = [
  "packages-claim-check-src-claim-key-1",
  "packages-core-src-duration-1",
  "packages-core-src-retry-policy-1",
  "packages-core-src-redact-issue-message-1",
  "packages-core-src-message-characters-1",
  "packages-dashboard-src-redact-payload-1",
  "packages-ops-src-fingerprint-1",
  "packages-scheduler-eventbridge-src-schedule-expression-1",
];

it.each(EXAMPLES)("%s returns what its comments say", async (id) => {
  const state = globalThis as {
    __documented?: { call: string; value: unknown; documented: string }[];
  };
  state.__documented = [];
  await import(writeRunnableSnippet(id, {}, "", recordDocumentedResults));
  expect(state.__documented.length).toBeGreaterThan(0);
  for (const { call, value, documented } of state.__documented) {
    const expected: unknown = new Function(`return (${documented});`)();
    expect(value, call).toEqual(expected);
  }
});

it("a wrong documented result fails the check", () => {
  const [line] = recordDocumentedResults(["Math.max(1, 2); // 1"]);
  const state = globalThis as { __documented?: { value: unknown; documented: string }[] };
  state.__documented = [];
  new Function(line?.replace(/as \{[^}]*\}/, "") ?? "")();
  const [entry] = state.__documented;
  expect(entry?.value).not.toEqual(new Function(`return (${entry?.documented});`)());
});
