import { parseGiven, type Snippet, SnippetExtractionError, snippetId } from "./snippet.ts";

const GIVEN = /^\/\/\s*given:(.*)$/;

/**
 * Every `@example` of the JSDoc comments of a TypeScript file. An example runs from the line after
 * the tag to the next tag or the end of the comment; a first line `// given: driver, users` names
 * the context it assumes (it stays in the docs: it tells the reader what to provide).
 *
 * @example
 * extractJsdoc("packages/core/src/duration.ts", readFileSync("packages/core/src/duration.ts", "utf8"));
 */
export function extractJsdoc(file: string, text: string): Snippet[] {
  const lines = text.split("\n");
  const snippets: Snippet[] = [];
  let ordinal = 0;
  let inComment = false;
  for (let i = 0; i < lines.length; i++) {
    const line = lines[i] ?? "";
    if (!inComment) {
      if (/^\s*\/\*\*/.test(line) && !line.includes("*/")) inComment = true;
      else if (/^\s*\/\*\*.*@example/.test(line))
        throw new SnippetExtractionError(file, i + 1, "@example in a one-line comment");
      continue;
    }
    if (/\*\//.test(line)) {
      inComment = false;
      continue;
    }
    const tag = /^\s*\*\s*@example(.*)$/.exec(line);
    if (!tag) continue;
    if ((tag[1] ?? "").trim() !== "")
      throw new SnippetExtractionError(
        file,
        i + 1,
        "text after @example: put code on the next line",
      );
    const body: string[] = [];
    let j = i + 1;
    for (; j < lines.length; j++) {
      const current = lines[j] ?? "";
      if (/\*\//.test(current)) break;
      const content = /^\s*\*(?: (.*)|())$/.exec(current);
      if (!content)
        throw new SnippetExtractionError(file, j + 1, "@example line does not start with ` * `");
      const code = content[1] ?? "";
      if (code.startsWith("@")) break;
      body.push(code);
    }
    while (body.length > 0 && (body.at(-1) ?? "").trim() === "") body.pop();
    if (body.length === 0) throw new SnippetExtractionError(file, i + 1, "empty @example");
    if (/^```/.test(body[0] ?? ""))
      throw new SnippetExtractionError(file, i + 2, "fenced @example: write the code bare");
    const given = GIVEN.exec(body[0] ?? "");
    ordinal++;
    snippets.push({
      id: snippetId(file, ordinal),
      file,
      line: i + 2,
      lines: body,
      given: given ? parseGiven(given[1] ?? "", file, i + 2) : [],
    });
    i = j - 1;
  }
  return snippets;
}
