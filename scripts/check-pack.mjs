#!/usr/bin/env node
// Packs the package in the current directory and checks what users would install:
// compiled JS with type declarations for every export, and no tests or test helpers.
import { execFileSync } from "node:child_process";
import { readFileSync } from "node:fs";

const pkg = JSON.parse(readFileSync("package.json", "utf8"));
const out = execFileSync("pnpm", ["pack", "--dry-run", "--json"], { encoding: "utf8" });
const files = JSON.parse(out.slice(out.indexOf("{"))).files.map((f) => f.path);

const problems = [];
const testFiles = files.filter((f) => /\.test\.|(^|\/)test-[^/]*$|tsbuildinfo$/.test(f));
if (testFiles.length) problems.push(`tests or build state in the tarball: ${testFiles.join(", ")}`);
for (const [subpath, target] of Object.entries(pkg.exports ?? {})) {
  for (const condition of ["types", "default"]) {
    const file = target[condition]?.replace(/^\.\//, "");
    if (!file || !files.includes(file))
      problems.push(`exports["${subpath}"].${condition} (${file}) is not packed`);
  }
}
if (!files.some((f) => f.startsWith("dist/") && f.endsWith(".d.ts")))
  problems.push("no .d.ts files in dist/");

if (problems.length) {
  console.error(`${pkg.name}: ${problems.join("\n  ")}`);
  process.exit(1);
}
console.log(`${pkg.name}: ${files.length} files packed, dist with types, no tests`);
