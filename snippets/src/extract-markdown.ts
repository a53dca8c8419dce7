import { parseGiven, type Snippet, SnippetExtractionError, snippetId } from "./snippet.ts";

const FENCE = /^(\s*)(`{3,}|~{3,})\s*([\w+-]*)(.*)$/;
const GIVEN = /^<!--\s*snippet:(.*?)-->\s*$/;
const TYPESCRIPT = new Set(["ts", "typescript", "tsx", "mts"]);

/**
 * Every TypeScript fence of a Markdown file, with the context named by an HTML comment on the
 * line right before it (`<!-- snippet: driver, users -->`).
 *
 * @example
 * extractMarkdown("packages/core/README.md", readFileSync("packages/core/README.md", "utf8"));
 */
export function extractMarkdown(file: string, text: string): Snippet[] {
  const lines = text.split("\n");
  const snippets: Snippet[] = [];
  let ordinal = 0;
  for (let i = 0; i < lines.length; i++) {
    const open = FENCE.exec(lines[i] ?? "");
    if (!open) {
      if (GIVEN.test(lines[i] ?? "") && !FENCE.test(lines[i + 1] ?? ""))
        throw new SnippetExtractionError(file, i + 1, "snippet comment not right before a fence");
      continue;
    }
    const [, indent = "", marker = "", lang = ""] = open;
    if (lang === "")
      throw new SnippetExtractionError(file, i + 1, "fence without a language (use ts, sh, text…)");
    const start = i + 1;
    let end = start;
    while (end < lines.length && !isClose(lines[end] ?? "", marker)) end++;
    if (end >= lines.length)
      throw new SnippetExtractionError(file, i + 1, `unclosed ${marker}${lang} fence`);
    const comment = GIVEN.exec(lines[i - 1] ?? "");
    if (TYPESCRIPT.has(lang)) {
      ordinal++;
      snippets.push({
        id: snippetId(file, ordinal),
        file,
        line: start + 1,
        lines: lines
          .slice(start, end)
          .map((l) => (l.startsWith(indent) ? l.slice(indent.length) : l)),
        given: comment ? parseGiven(comment[1] ?? "", file, i) : [],
      });
    } else if (comment) {
      throw new SnippetExtractionError(file, i, `snippet comment before a ${lang} fence`);
    }
    i = end;
  }
  return snippets;
}

function isClose(line: string, marker: string): boolean {
  const trimmed = line.trim();
  return trimmed.startsWith(marker) && /^[`~]+$/.test(trimmed);
}
