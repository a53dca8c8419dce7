import { mkdirSync, readFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { CONTEXT } from "./context.ts";
import { extractMarkdown } from "./extract-markdown.ts";
import { readPackageExports } from "./package-exports.ts";
import { type ContextOverrides, renderSnippet } from "./render.ts";
import { collectSnippets } from "./sources.ts";

/** The repository root. */
export const ROOT = join(import.meta.dirname, "..", "..");

/**
 * Writes the snippet `id` as a runnable module, its context given as real code in `overrides`
 * (by context name), and returns its path for `import()`. For tests that run a snippet;
 * `transform` may rewrite its lines first (see `recordDocumentedResults`).
 *
 * @example
 * const { driver } = await import(writeRunnableSnippet("packages-driver-sqs-README-2", {}, "export { driver };\n"));
 */
export function writeRunnableSnippet(
  id: string,
  overrides: ContextOverrides,
  epilogue = "",
  transform: (lines: readonly string[]) => readonly string[] = (lines) => lines,
): string {
  const { readme, jsdoc } = collectSnippets(ROOT);
  const found = [...readme, ...jsdoc].find((s) => s.id === id);
  if (!found) throw new Error(`no snippet ${id}`);
  const snippet = { ...found, lines: transform(found.lines) };
  // A declared-only name has no value at run time: the test must give real code for it.
  const declaredOnly = snippet.given.filter(
    (name) =>
      !(name in overrides) &&
      (CONTEXT[name]?.code.includes("declare ") || CONTEXT[name]?.modules !== undefined),
  );
  if (declaredOnly.length > 0)
    throw new Error(`snippet ${id} needs real code for: ${declaredOnly.join(", ")}`);
  const rendered = renderSnippet(snippet, readPackageExports(ROOT), ROOT, overrides, epilogue);
  const dir = join(ROOT, "snippets", "generated", "run");
  mkdirSync(dir, { recursive: true });
  const path = join(dir, `${id}.ts`);
  writeFileSync(path, rendered.text);
  return path;
}

/**
 * The id of the first ```ts block of a Markdown file (path from the root) whose code contains
 * every one of `texts`: found by what it does, not by its position, since blocks are numbered
 * in order and a new block above would shift it.
 */
export function readmeSnippetId(file: string, ...texts: string[]): string {
  const block = extractMarkdown(file, readFileSync(join(ROOT, file), "utf8")).find((s) => {
    const code = s.lines.join("\n");
    return texts.every((text) => code.includes(text));
  });
  if (!block) throw new Error(`no block in ${file} with ${texts.join(", ")}`);
  return block.id;
}
