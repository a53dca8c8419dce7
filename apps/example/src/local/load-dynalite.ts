import { createRequire, Module } from "node:module";
import { dirname, join } from "node:path";
import type dynaliteType from "dynalite";

/**
 * Loads dynalite (CommonJS). Vitest starts its workers with `--conditions import` (the root
 * config's resolve conditions), and Node applies user conditions to `require()` as well:
 * dynalite's `require("big.js")` would get big.js's ES module, whose namespace is not the
 * constructor dynalite calls. So the CommonJS build is put in the require cache under the path
 * that resolution picks, then dynalite loads. Under plain Node or tsx this changes nothing.
 */
export function loadDynalite(): typeof dynaliteType {
  const requireHere = createRequire(import.meta.url);
  const requireFromDynalite = createRequire(requireHere.resolve("dynalite"));
  const resolvedBig = requireFromDynalite.resolve("big.js");
  if (resolvedBig.endsWith(".mjs")) {
    const cached = new Module(resolvedBig);
    cached.filename = resolvedBig;
    cached.exports = requireFromDynalite(join(dirname(resolvedBig), "big.js"));
    cached.loaded = true;
    requireHere.cache[resolvedBig] = cached;
  }
  return requireHere("dynalite") as typeof dynaliteType;
}
