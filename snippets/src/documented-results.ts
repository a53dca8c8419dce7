/** A call of an example and the result its comment documents. */
export interface DocumentedResult {
  readonly call: string;
  readonly documented: string;
}

/**
 * Rewrites an example whose calls document their result in a comment (`toSeconds("10m"); // 600`,
 * or the comment alone on the next line) so that running it pushes `[value, documented]` pairs
 * onto `globalThis.__documented`. Fails on an example without any.
 *
 * @example
 * recordDocumentedResults(['toSeconds(45); // 45']);
 * // ['(globalThis.__documented ??= []).push({ call: "toSeconds(45)", value: (toSeconds(45)), documented: "45" });']
 */
export function recordDocumentedResults(lines: readonly string[]): string[] {
  const out: string[] = [];
  let count = 0;
  for (let i = 0; i < lines.length; i++) {
    const line = lines[i] ?? "";
    const sameLine = /^(.+?);\s*\/\/\s*(.+)$/.exec(line);
    const nextLine = /^(.+?);\s*$/.exec(line) && /^\s*\/\/\s*(.+)$/.exec(lines[i + 1] ?? "");
    const call = sameLine?.[1] ?? (nextLine ? line.replace(/;\s*$/, "") : undefined);
    const documented = sameLine?.[2] ?? nextLine?.[1];
    if (call === undefined || documented === undefined) {
      out.push(line);
      continue;
    }
    count++;
    out.push(
      `((globalThis as { __documented?: unknown[] }).__documented ??= []).push({ call: ${JSON.stringify(call)}, value: (${call}), documented: ${JSON.stringify(documented.trim())} });`,
    );
    if (nextLine) i++;
  }
  if (count === 0) throw new Error("no documented result in this example");
  return out;
}
