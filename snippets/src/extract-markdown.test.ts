import { describe, expect, it } from "vitest";
import { extractMarkdown } from "./extract-markdown.ts";

const md = (...lines: string[]) => lines.join("\n");

describe("extractMarkdown", () => {
  it("takes ts fences with their line and the context named right before them, skips others", () => {
    const snippets = extractMarkdown(
      "packages/x/README.md",
      md(
        "# X",
        "```sh",
        "pnpm add x",
        "```",
        "<!-- snippet: driver, users -->",
        "```ts",
        "a();",
        "b();",
        "```",
        "```ts",
        "c();",
        "```",
      ),
    );
    expect(snippets).toEqual([
      {
        id: "packages-x-README-1",
        file: "packages/x/README.md",
        line: 7,
        lines: ["a();", "b();"],
        given: ["driver", "users"],
      },
      {
        id: "packages-x-README-2",
        file: "packages/x/README.md",
        line: 11,
        lines: ["c();"],
        given: [],
      },
    ]);
  });

  it("fails naming file:line on an unclosed fence", () => {
    expect(() => extractMarkdown("R.md", md("text", "```ts", "a();"))).toThrow(
      /^R\.md:2: unclosed ```ts fence/,
    );
  });

  it("fails on a fence without a language, so that no TypeScript hides in one", () => {
    expect(() => extractMarkdown("R.md", md("```", "a();", "```"))).toThrow(
      /^R\.md:1: fence without a language/,
    );
  });

  it("fails on a snippet comment that is not right before a ts fence", () => {
    expect(() =>
      extractMarkdown("R.md", md("<!-- snippet: driver -->", "", "```ts", "a();", "```")),
    ).toThrow(/^R\.md:1: snippet comment not right before a fence/);
    expect(() =>
      extractMarkdown("R.md", md("<!-- snippet: driver -->", "```sh", "ls", "```")),
    ).toThrow(/^R\.md:1: snippet comment before a sh fence/);
  });

  it("fails on a malformed context name", () => {
    expect(() =>
      extractMarkdown("R.md", md("<!-- snippet: driver users -->", "```ts", "a();", "```")),
    ).toThrow(/^R\.md:1: bad context name "driver users"/);
  });
});
