import { describe, expect, it } from "vitest";
import { extractJsdoc } from "./extract-jsdoc.ts";

const ts = (...lines: string[]) => lines.join("\n");

describe("extractJsdoc", () => {
  it("takes each @example up to the next tag or the end of its comment, with its given line", () => {
    const snippets = extractJsdoc(
      "packages/x/src/a.ts",
      ts(
        "/**",
        " * Does a.",
        " *",
        " * @example",
        " * // given: driver",
        " * a(driver);",
        " *",
        " * @example",
        " * a(1);",
        " * @see b",
        " */",
        "export function a(x: unknown) {}",
      ),
    );
    expect(snippets).toEqual([
      {
        id: "packages-x-src-a-1",
        file: "packages/x/src/a.ts",
        line: 5,
        lines: ["// given: driver", "a(driver);"],
        given: ["driver"],
      },
      {
        id: "packages-x-src-a-2",
        file: "packages/x/src/a.ts",
        line: 9,
        lines: ["a(1);"],
        given: [],
      },
    ]);
  });

  it("fails naming file:line on an example it cannot take", () => {
    expect(() => extractJsdoc("a.ts", ts("/**", " * @example", " */"))).toThrow(
      /^a\.ts:2: empty @example/,
    );
    expect(() => extractJsdoc("a.ts", ts("/**", " * @example", "a();", " */"))).toThrow(
      /^a\.ts:3: @example line does not start with ` \* `/,
    );
    expect(() =>
      extractJsdoc("a.ts", ts("/**", " * @example", " * ```ts", " * a();", " * ```", " */")),
    ).toThrow(/^a\.ts:3: fenced @example/);
    expect(() => extractJsdoc("a.ts", ts("/**", " * @example Title", " * a();", " */"))).toThrow(
      /^a\.ts:2: text after @example/,
    );
  });
});
