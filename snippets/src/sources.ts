import { readdirSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { extractJsdoc } from "./extract-jsdoc.ts";
import { extractMarkdown } from "./extract-markdown.ts";
import type { Snippet } from "./snippet.ts";

/**
 * The READMEs (root, `packages/*`, `apps/example`) and the non-test sources of `packages/*`,
 * repository-relative, in a stable order.
 *
 * @example
 * const { readmes, sources } = snippetFiles(root);
 */
export function snippetFiles(root: string): { readmes: string[]; sources: string[] } {
  const packages = readdirSync(join(root, "packages")).sort();
  const readmes = [
    "README.md",
    ...packages.map((p) => `packages/${p}/README.md`),
    "apps/example/README.md",
  ];
  const sources = packages.flatMap((p) =>
    readdirSync(join(root, "packages", p, "src"), { recursive: true, encoding: "utf8" })
      .filter((f) => f.endsWith(".ts") && !f.endsWith(".test.ts") && !/(^|\/)test-/.test(f))
      .sort()
      .map((f) => `packages/${p}/src/${f}`),
  );
  return { readmes, sources };
}

/** Every snippet of the repository at `root`. */
export function collectSnippets(root: string): { readme: Snippet[]; jsdoc: Snippet[] } {
  const { readmes, sources } = snippetFiles(root);
  const read = (file: string) => readFileSync(join(root, file), "utf8");
  return {
    readme: readmes.flatMap((file) => extractMarkdown(file, read(file))),
    jsdoc: sources.flatMap((file) => extractJsdoc(file, read(file))),
  };
}
