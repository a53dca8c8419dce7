import { spawnSync } from "node:child_process";
import { mkdirSync, rmSync, writeFileSync } from "node:fs";
import { dirname, join, relative } from "node:path";
import type { RenderedSnippet } from "./render.ts";

// Imports a value and a type of core: a `declare module "@glasswork/core"` that replaced the
// package instead of augmenting it makes both fail.
const CORE_PROBE = `import { defineJob, type JobService } from "@glasswork/core";
export const probe: [typeof defineJob, JobService | undefined] = [defineJob, undefined];
`;

const BUNDLER = ["--module", "esnext", "--moduleResolution", "bundler"];

/** One typecheck error, mapped back to the README or source line it comes from. */
export interface SnippetDiagnostic {
  readonly location: string;
  readonly message: string;
}

/**
 * Writes the modules under `outDir` (one shared program, plus one program per isolated snippet)
 * and typechecks them with tsc, strict base tsconfig, module nodenext, sibling packages from
 * source. Returns the errors, mapped to `file:line`.
 *
 * @example
 * const errors = typecheckSnippets(rendered, join(root, "snippets/generated"), root);
 */
export function typecheckSnippets(
  rendered: readonly RenderedSnippet[],
  outDir: string,
  root: string,
): SnippetDiagnostic[] {
  rmSync(outDir, { recursive: true, force: true });
  const programs: { dir: string; files: RenderedSnippet[] }[] = [
    { dir: join(outDir, "shared"), files: rendered.filter((r) => !r.isolated) },
    ...rendered
      .filter((r) => r.isolated)
      .map((r) => ({ dir: join(outDir, r.snippet.id), files: [r] })),
  ];
  const byPath = new Map<string, RenderedSnippet>();
  for (const program of programs) {
    mkdirSync(program.dir, { recursive: true });
    const base = relative(program.dir, join(root, "tsconfig.base.json"));
    writeFileSync(
      join(program.dir, "tsconfig.json"),
      `${JSON.stringify(
        {
          extends: base,
          compilerOptions: {
            noEmit: true,
            customConditions: ["@glasswork/source"],
            types: ["node"],
          },
          include: ["*.ts"],
        },
        null,
        2,
      )}\n`,
    );
    for (const r of program.files) {
      const path = join(program.dir, `${r.snippet.id}.ts`);
      writeFileSync(path, r.text);
      for (const [i, text] of r.declarations.entries())
        writeFileSync(join(program.dir, `${r.snippet.id}.context-${i}.d.ts`), `${text}\n`);
      for (const [file, text] of Object.entries(r.modules)) {
        mkdirSync(dirname(join(program.dir, file)), { recursive: true });
        writeFileSync(join(program.dir, file), `${text}\n`);
      }
      byPath.set(path, r);
    }
    if (program.files.some((r) => r.isolated))
      writeFileSync(join(program.dir, "probe.ts"), CORE_PROBE);
  }
  const diagnostics: SnippetDiagnostic[] = [];
  for (const program of programs) {
    if (program.files.length === 0) continue;
    // An augmentation is also checked under bundler resolution, where a `declare module` that
    // replaces the package (a file without import or export) breaks it; nodenext hides that.
    const isolated = program.files.some((r) => r.isolated);
    for (const flags of isolated ? [[], BUNDLER] : [[]]) {
      const result = spawnSync(
        "tsc",
        ["-p", join(program.dir, "tsconfig.json"), "--pretty", "false", ...flags],
        { encoding: "utf8", cwd: program.dir },
      );
      if (result.error) throw result.error;
      if (result.status === 0) continue;
      const output = `${result.stdout}${result.stderr}`;
      const found = parseTscOutput(
        output,
        program.dir,
        byPath,
        isolated ? program.files[0] : undefined,
      ).map((d) =>
        flags.length > 0 ? { ...d, message: `${d.message} (moduleResolution bundler)` } : d,
      );
      diagnostics.push(
        ...(found.length > 0 ? found : [{ location: program.dir, message: output }]),
      );
    }
  }
  return diagnostics;
}

function parseTscOutput(
  output: string,
  dir: string,
  byPath: ReadonlyMap<string, RenderedSnippet>,
  probed: RenderedSnippet | undefined,
): SnippetDiagnostic[] {
  const diagnostics: SnippetDiagnostic[] = [];
  for (const line of output.split("\n")) {
    const match = /^(.+?)\((\d+),(\d+)\): (.*)$/.exec(line);
    if (!match) {
      const last = diagnostics.at(-1);
      if (last && line.trim() !== "")
        diagnostics[diagnostics.length - 1] = { ...last, message: `${last.message}\n${line}` };
      continue;
    }
    const [, file = "", row = "0", column = "0", message = ""] = match;
    if (file === "probe.ts" && probed) {
      const where = `${probed.snippet.file}:${probed.snippet.line} (${probed.snippet.id})`;
      diagnostics.push({
        location: where,
        message: `breaks imports of @glasswork/core: ${message}`,
      });
      continue;
    }
    const rendered = byPath.get(join(dir, file));
    const at = Number(row) - (rendered?.preludeLines ?? 0);
    const location = !rendered
      ? `${join(dir, file)}:${row}:${column}`
      : at >= 1
        ? `${rendered.snippet.file}:${rendered.snippet.line + at - 1}:${column} (${rendered.snippet.id})`
        : `${rendered.snippet.file}:${rendered.snippet.line} (context line ${row} of ${rendered.snippet.id})`;
    diagnostics.push({ location, message });
  }
  return diagnostics;
}
