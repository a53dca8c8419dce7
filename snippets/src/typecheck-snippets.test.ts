import { rmSync } from "node:fs";
import { join } from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { extractJsdoc } from "./extract-jsdoc.ts";
import { extractMarkdown } from "./extract-markdown.ts";
import { ROOT } from "./load-snippet.ts";
import { readPackageExports } from "./package-exports.ts";
import { renderSnippet } from "./render.ts";
import { typecheckSnippets } from "./typecheck-snippets.ts";

const exports = readPackageExports(ROOT);

// tsc needs the workspace's node_modules: the programs are written inside snippets/generated.
const outDir = join(ROOT, "snippets", "generated", `test-${process.pid}`);
afterAll(() => rmSync(outDir, { recursive: true, force: true }));

function check(markdown: string) {
  const rendered = extractMarkdown("packages/x/README.md", markdown).map((s) =>
    renderSnippet(s, exports, ROOT),
  );
  return typecheckSnippets(rendered, outDir, ROOT);
}

describe("typecheckSnippets", () => {
  it("passes a snippet that compiles and reports one that does not at its README line", () => {
    const errors = check(
      [
        "<!-- snippet: driver -->",
        "```ts",
        'import { JobService } from "@glasswork/core";',
        "const jobs = new JobService(driver);",
        "```",
        "",
        "```ts",
        'import { JobService } from "@glasswork/core";',
        "",
        "await new JobService().enqueue();",
        "```",
      ].join("\n"),
    );
    expect(errors.length).toBeGreaterThan(0);
    for (const error of errors) {
      expect(error.location).toMatch(/^packages\/x\/README\.md:10:\d+ \(packages-x-README-2\)$/);
      expect(error.message).toMatch(/TS2554/);
    }
  }, 60_000);

  it("fails a Register augmentation that replaces @glasswork/core, passes one that augments it", () => {
    const augmentation = [
      'declare module "@glasswork/core" {',
      "  interface Register { services: { n: number } }",
      "}",
    ];
    const replacing = check(["```ts", ...augmentation, "```"].join("\n"));
    expect(replacing.map((e) => e.message).join("\n")).toMatch(
      /has no exported member 'defineJob'.*\(moduleResolution bundler\)/,
    );
    expect(
      check(["```ts", 'import "@glasswork/core";', "", ...augmentation, "```"].join("\n")),
    ).toEqual([]);
  }, 60_000);

  it("reports a broken JSDoc example at its source line, its own package's exports in scope", () => {
    const source = [
      "/**",
      " * @example",
      ' * toSeconds("10m");',
      " * toSeconds(true);",
      " */",
    ].join("\n");
    const rendered = extractJsdoc("packages/core/src/duration.ts", source).map((s) =>
      renderSnippet(s, exports, ROOT),
    );
    const errors = typecheckSnippets(rendered, outDir, ROOT);
    expect(errors.map((e) => e.location)).toEqual([
      expect.stringMatching(/^packages\/core\/src\/duration\.ts:4:\d+ /),
    ]);
  }, 60_000);

  it("gives a snippet the app modules it imports by relative path only when it names them", () => {
    const config = [
      "```ts",
      'import { sendWelcomeEmail } from "./src/jobs/send-welcome-email.js";',
      "export const jobs = [sendWelcomeEmail];",
      "```",
    ];
    expect(check(["<!-- snippet: jobModules -->", ...config].join("\n"))).toEqual([]);
    expect(check(config.join("\n")).map((e) => e.message)).toEqual([
      expect.stringMatching(/TS2307/),
    ]);
  }, 60_000);

  it("fails naming file:line on a context name that is not in the dictionary or a package", () => {
    expect(() =>
      check(["<!-- snippet: noSuchThing -->", "```ts", "noSuchThing;", "```"].join("\n")),
    ).toThrow(/^packages\/x\/README\.md:3: unknown context "noSuchThing"/);
  });
});
