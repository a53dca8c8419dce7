import { expect, it } from "vitest";
import { row } from "./result.js";

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
