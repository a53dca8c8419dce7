import { readFileSync } from "node:fs";
import { join } from "node:path";
import { CONTEXT } from "./context.ts";
import { exportNames, type PackageExports } from "./package-exports.ts";
import { type Snippet, SnippetExtractionError } from "./snippet.ts";

/** A snippet as a module, and how to map its lines back. */
export interface RenderedSnippet {
  readonly snippet: Snippet;
  readonly text: string;
  /** Lines before the snippet's first code line. */
  readonly preludeLines: number;
  /** Needs a program of its own (it augments a module). */
  readonly isolated: boolean;
  /** `.d.ts` texts to write next to the snippet. */
  readonly declarations: readonly string[];
  /** App modules the snippet imports by relative path: path next to the snippet → text. */
  readonly modules: Readonly<Record<string, string>>;
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
  root: string,
  overrides: ContextOverrides = {},
  epilogue = "",
): RenderedSnippet {
  const prelude: string[] = [`// Generated from ${snippet.file}:${snippet.line}; do not edit.`];
  let isolated = snippet.lines.some((line) => /^\s*declare\s+module\b/.test(line));
  const imports = new Map<string, string[]>();
  const declarations: string[] = [];
  const modules: Record<string, string> = {};
  for (const name of snippet.given) {
    const override = overrides[name];
    const entry = CONTEXT[name];
    const specifier = exports.specifierOf.get(name);
    if (override !== undefined) prelude.push(override);
    else if (entry) {
      if (entry.declarationFile) declarations.push(entry.code);
      else if (entry.code !== "") prelude.push(entry.code);
      Object.assign(modules, entry.modules);
      if (entry.global) isolated = true;
    } else if (specifier) imports.set(specifier, [...(imports.get(specifier) ?? []), name]);
    else throw new SnippetExtractionError(snippet.file, snippet.line, `unknown context "${name}"`);
  }
  for (const [specifier, names] of ownPackageImports(snippet, exports, root))
    imports.set(specifier, [...new Set([...(imports.get(specifier) ?? []), ...names])]);
  for (const [specifier, names] of imports) {
    const list = names.map((name) => (exports.typeOnly.has(name) ? `type ${name}` : name));
    prelude.push(`import { ${list.join(", ")} } from "${specifier}";`);
  }
  const preludeText = prelude.join("\n");
  return {
    snippet,
    // A module augmentation must make its file a module itself, as in the user's code: without an
    // import or export, `declare module` replaces the package instead of augmenting it.
    text: `${preludeText}\n${snippet.lines.join("\n")}\n${epilogue}${isolated ? "" : "export {};\n"}`,
    preludeLines: preludeText.split("\n").length,
    isolated,
    declarations,
    modules,
  };
}

// Generated modules sit two folders below snippets/: snippets/generated/<program>/<id>.ts.
const TO_ROOT = "../../..";

function ownPackageImports(
  snippet: Snippet,
  exports: PackageExports,
  root: string,
): Map<string, string[]> {
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
  const uses = (name: string) =>
    !declared.has(name) &&
    !snippet.given.includes(name) &&
    new RegExp(`(?<![\\w$.])${name.replace(/\$/g, "\\$")}(?![\\w$])`).test(code);
  for (const [name, specifier] of names) {
    if (uses(name)) found.set(specifier, [...(found.get(specifier) ?? []), name]);
  }
  // An internal helper's example uses it from its own file, which the package does not export.
  const self = `${TO_ROOT}/${snippet.file.replace(/\.ts$/, ".js")}`;
  for (const { name } of exportNames(readFileSync(join(root, snippet.file), "utf8"))) {
    if (!names.has(name) && uses(name)) found.set(self, [...(found.get(self) ?? []), name]);
  }
  return found;
}
