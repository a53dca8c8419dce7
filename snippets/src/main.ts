// Extracts every README ```ts block and JSDoc @example into snippets/generated/ and typechecks
// them; exits 1 naming file:line of every block that cannot be extracted or does not compile.
import { join } from "node:path";
import { readPackageExports } from "./package-exports.ts";
import { renderSnippet } from "./render.ts";
import { collectSnippets } from "./sources.ts";
import { typecheckSnippets } from "./typecheck-snippets.ts";

const root = join(import.meta.dirname, "..", "..");
try {
  const exports = readPackageExports(root);
  const { readme, jsdoc } = collectSnippets(root);
  const rendered = [...readme, ...jsdoc].map((s) => renderSnippet(s, exports, root));
  const errors = typecheckSnippets(rendered, join(root, "snippets", "generated"), root);
  for (const error of errors) console.error(`${error.location}: ${error.message}`);
  console.log(
    `snippets: ${readme.length} README blocks, ${jsdoc.length} JSDoc examples, ${errors.length} errors`,
  );
  if (errors.length > 0) process.exitCode = 1;
} catch (error) {
  console.error(error instanceof Error ? error.message : error);
  process.exitCode = 1;
}
