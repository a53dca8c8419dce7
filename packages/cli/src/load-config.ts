import { existsSync } from "node:fs";
import { resolve } from "node:path";
import { createJiti } from "jiti";
import type { GlassworkConfig } from "./define-config.js";
import { UsageError } from "./usage-error.js";

/** The file names `glasswork` looks for in the working directory, in order. */
export const CONFIG_FILE_NAMES = [
  "glasswork.config.ts",
  "glasswork.config.mts",
  "glasswork.config.js",
  "glasswork.config.mjs",
] as const;

/**
 * Loads a `glasswork.config.ts` (or `.mts`, `.js`, `.mjs`): the given file, or the first of
 * {@link CONFIG_FILE_NAMES} in `cwd`; `undefined` when there is none and none was given. jiti
 * loads it because configs import job modules with `.js` specifiers that point at `.ts` files,
 * which Node's own type stripping does not map.
 *
 * @example
 * const config = await loadConfig(undefined, process.cwd());
 */
export async function loadConfig(
  file: string | undefined,
  cwd: string,
): Promise<GlassworkConfig | undefined> {
  const path = file
    ? resolve(cwd, file)
    : CONFIG_FILE_NAMES.map((name) => resolve(cwd, name)).find((p) => existsSync(p));
  if (path === undefined) return undefined;
  if (!existsSync(path)) throw new UsageError(`config file not found: ${path}`);
  let loaded: unknown;
  try {
    const jiti = createJiti(import.meta.url);
    loaded = await jiti.import(path, { default: true });
  } catch (error) {
    const message = error instanceof Error ? error.message : String(error);
    throw new UsageError(`could not load ${path}: ${message.split("\n")[0]}`);
  }
  return checkConfig(loaded, path);
}

function checkConfig(value: unknown, path: string): GlassworkConfig {
  const config = value as Partial<GlassworkConfig> | undefined;
  if (typeof config !== "object" || config === null || !("queues" in config))
    throw new UsageError(`${path} must export default defineConfig({ queues: { … } })`);
  const queues = config.queues ?? {};
  for (const [name, url] of Object.entries(queues)) {
    if (typeof url !== "string" || url === "")
      throw new UsageError(`${path}: queues.${name} must be a queue URL`);
  }
  if (config.jobs !== undefined && !Array.isArray(config.jobs))
    throw new UsageError(`${path}: jobs must be an array of job definitions`);
  return { ...config, queues } as GlassworkConfig;
}
