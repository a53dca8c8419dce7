import { CONTEXT } from "./context.ts";
import type { PackageExports } from "./package-exports.ts";
import { type Snippet, SnippetExtractionError } from "./snippet.ts";

/** A snippet as a module, and how to map its lines back. */
export interface RenderedSnippet {
  readonly snippet: Snippet;
  readonly text: string;
  /** Lines before the snippet's first code line. */
  readonly preludeLines: number;
  /** Needs a program of its own (it augments a module). */
  readonly isolated: boolean;
}

/** Overrides of context entries, e.g. real values when a test runs the snippet. */
export type ContextOverrides = Readonly<Record<string, string>>;

/**
 * The module for one snippet: its context, then imports of names exported by its own package when
 * it is a JSDoc example that imports nothing from it (the fixed JSDoc prelude), then its code.
 *
 * @example
 * const { text } = renderSnippet(snippet, readPackageExports(root));
 */
export function renderSnippet(
  snippet: Snippet,
  exports: PackageExports,
  overrides: ContextOverrides = {},
  epilogue = "",
): RenderedSnippet {
  const prelude: string[] = [`// Generated from ${snippet.file}:${snippet.line}; do not edit.`];
  let isolated = snippet.lines.some((line) => /^\s*declare\s+module\b/.test(line));
  const imports = new Map<string, string[]>();
  for (const name of snippet.given) {
    const override = overrides[name];
    const entry = CONTEXT[name];
    const specifier = exports.specifierOf.get(name);
    if (override !== undefined) prelude.push(override);
    else if (entry) {
      prelude.push(entry.code);
      if (entry.global) isolated = true;
    } else if (specifier) imports.set(specifier, [...(imports.get(specifier) ?? []), name]);
    else throw new SnippetExtractionError(snippet.file, snippet.line, `unknown context "${name}"`);
  }
  for (const [specifier, names] of ownPackageImports(snippet, exports))
    imports.set(specifier, [...new Set([...(imports.get(specifier) ?? []), ...names])]);
  for (const [specifier, names] of imports)
    prelude.push(`import { ${names.join(", ")} } from "${specifier}";`);
  const preludeText = prelude.join("\n");
  return {
    snippet,
    // A module augmentation must make its file a module itself, as in the user's code: without an
    // import or export, `declare module` replaces the package instead of augmenting it.
    text: `${preludeText}\n${snippet.lines.join("\n")}\n${epilogue}${isolated ? "" : "export {};\n"}`,
    preludeLines: preludeText.split("\n").length,
    isolated,
  };
}

function ownPackageImports(snippet: Snippet, exports: PackageExports): Map<string, string[]> {
  const found = new Map<string, string[]>();
  const folder = /^(packages\/[^/]+)\/src\//.exec(snippet.file)?.[1];
  const names = folder ? exports.namesOf.get(folder) : undefined;
  const own = folder ? exports.packageOf.get(folder) : undefined;
  if (!names || !own) return found;
  const code = snippet.lines.join("\n");
  if (code.includes(`from "${own}`)) return found;
  const declared = new Set(
    [...code.matchAll(/(?:const|let|function|class|interface|type)\s+([A-Za-z_$][\w$]*)/g)].map(
      (m) => m[1],
    ),
  );
  for (const name of names) {
    if (declared.has(name) || snippet.given.includes(name)) continue;
    if (!new RegExp(`(?<![\\w$.])${name.replace(/\$/g, "\\$")}(?![\\w$])`).test(code)) continue;
    const specifier = exports.specifierOf.get(name) ?? own;
    found.set(specifier, [...(found.get(specifier) ?? []), name]);
  }
  return found;
}
