import { expect, it } from "vitest";
import { ratioAtLeast, ratioAtMost, row } from "./result.js";

it("takes samples in round order: medians, spreads, and the spread of the rounds' own ratios", () => {
  const r = row("cpu (µs)", [4, 1, 2], [2, 4, 3], "≤ 1.0× peer", (_, ratio) => ratio !== null);
  expect(r).toMatchObject({
    ours: 2,
    peer: 3,
    oursSpread: { min: 1, median: 2, max: 4 },
    peerSpread: { min: 2, median: 3, max: 4 },
    ratio: 2 / 3,
    ratioSpread: { min: 0.25, median: 2 / 3, max: 2 },
    met: true,
  });
});

it("has no round ratios for a spread or a single figure", () => {
  expect(row("requests", { min: 1, median: 1, max: 1 }, 10, "—")).not.toHaveProperty("ratioSpread");
  expect(row("bundle (KB)", 61, null, "≤ 30 KB", (o) => o <= 30)).toMatchObject({
    ratio: null,
    met: false,
  });
});

it("states a ratio target in the table's words and checks it on the ratio", () => {
  const [atMost, metAtMost] = ratioAtMost(0.25);
  const [atLeast, metAtLeast] = ratioAtLeast(1);
  expect([atMost, atLeast]).toEqual(["≤ 0.25× peer", "≥ 1.0× peer"]);
  expect([metAtMost(9, 0.25), metAtMost(9, 0.26), metAtMost(9, null)]).toEqual([
    true,
    false,
    false,
  ]);
  expect([metAtLeast(0, 1), metAtLeast(0, 0.99), metAtLeast(0, null)]).toEqual([
    true,
    false,
    false,
  ]);
});
