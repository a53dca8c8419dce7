import { readdirSync, readFileSync } from "node:fs";
import { join } from "node:path";

/** Where each exported name of the workspace packages comes from. */
export interface PackageExports {
  /** Export name → import specifier (`@glasswork/core`, `@glasswork/core/testing`). */
  readonly specifierOf: ReadonlyMap<string, string>;
  /** Repository-relative package folder (`packages/core`) → its export names → specifier. */
  readonly namesOf: ReadonlyMap<string, ReadonlyMap<string, string>>;
  /** Names exported as types only (imported with `import type`). */
  readonly typeOnly: ReadonlySet<string>;
  /** Repository-relative package folder → its package name. */
  readonly packageOf: ReadonlyMap<string, string>;
}

/**
 * Reads the export names of every `packages/*` entry point from its source (the
 * `"@glasswork/source"` condition), so that snippets can name `JobService` as context.
 *
 * @example
 * const { specifierOf } = readPackageExports("/work/main");
 * specifierOf.get("JobService"); // "@glasswork/core"
 */
export function readPackageExports(root: string): PackageExports {
  const specifierOf = new Map<string, string>();
  const namesOf = new Map<string, Map<string, string>>();
  const typeOnly = new Set<string>();
  const packageOf = new Map<string, string>();
  for (const dir of readdirSync(join(root, "packages")).sort()) {
    const folder = `packages/${dir}`;
    const manifest = JSON.parse(readFileSync(join(root, folder, "package.json"), "utf8")) as {
      name: string;
      exports?: Record<string, { "@glasswork/source"?: string }>;
    };
    packageOf.set(folder, manifest.name);
    const names = new Map<string, string>();
    namesOf.set(folder, names);
    for (const [subpath, conditions] of Object.entries(manifest.exports ?? {})) {
      const entry = conditions["@glasswork/source"];
      if (!entry) continue;
      const specifier = subpath === "." ? manifest.name : `${manifest.name}${subpath.slice(1)}`;
      for (const { name, type } of exportNames(readFileSync(join(root, folder, entry), "utf8"))) {
        if (type) typeOnly.add(name);
        // The main entry wins over a subpath that re-exports the same name.
        if (!names.has(name) || subpath === ".") names.set(name, specifier);
        // The first package (alphabetically) that exports a name is where the README context
        // imports it from; a package's own JSDoc examples use `namesOf`.
        if (!specifierOf.has(name)) specifierOf.set(name, specifier);
      }
    }
  }
  return { specifierOf, namesOf, packageOf, typeOnly };
}

/** Names exported by an entry module written as `export { … } from` lists and declarations. */
export function exportNames(source: string): { name: string; type: boolean }[] {
  const text = source.replace(/\/\*[\s\S]*?\*\//g, "").replace(/\/\/.*$/gm, "");
  const names: { name: string; type: boolean }[] = [];
  for (const [, typeList, list = ""] of text.matchAll(/export\s+(type\s+)?\{([^}]*)\}/g)) {
    for (const item of list.split(",")) {
      const type = typeList !== undefined || /^\s*type\s/.test(item);
      const name = item
        .replace(/^\s*type\s+/, "")
        .split(/\s+as\s+/)
        .at(-1)
        ?.trim();
      if (name) names.push({ name, type });
    }
  }
  for (const [, kind = "", name = ""] of text.matchAll(
    /export\s+(?:declare\s+)?(?:async\s+)?(function\*?|const|let|class|interface|type|enum)\s+([A-Za-z_$][\w$]*)/g,
  ))
    names.push({ name, type: kind === "interface" || kind === "type" });
  return names;
}
