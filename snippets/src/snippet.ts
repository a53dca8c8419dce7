/** One code block taken from a README or a JSDoc `@example`. */
export interface Snippet {
  /** Stable module name, e.g. `packages-core-README-2` (the file and the block's ordinal in it). */
  readonly id: string;
  /** Repository-relative path of the file the block is in. */
  readonly file: string;
  /** 1-based line of the block's first code line in `file`. */
  readonly line: number;
  /** The code, one entry per source line (JSDoc `*` prefixes removed). */
  readonly lines: readonly string[];
  /** Names of the context the block assumes, looked up in `context.ts`. */
  readonly given: readonly string[];
}

/** A block the extractor cannot turn into a module; the message starts with `file:line`. */
export class SnippetExtractionError extends Error {
  override readonly name = "SnippetExtractionError";

  constructor(file: string, line: number, problem: string) {
    super(`${file}:${line}: ${problem}`);
  }
}

/** Module name for the `ordinal`-th block of `file`. */
export function snippetId(file: string, ordinal: number): string {
  return `${file.replace(/\.[a-z]+$/, "").replace(/[^A-Za-z0-9]+/g, "-")}-${ordinal}`;
}

/** Splits a `given` list (`driver, users`) into names; empty entries are an error. */
export function parseGiven(text: string, file: string, line: number): string[] {
  const trimmed = text.trim();
  if (trimmed === "") return [];
  const names = trimmed.split(",").map((name) => name.trim());
  for (const name of names) {
    if (!/^[A-Za-z_$][\w$]*$/.test(name))
      throw new SnippetExtractionError(file, line, `bad context name ${JSON.stringify(name)}`);
  }
  return names;
}
