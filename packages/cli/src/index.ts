export { CliContext, type GlobalOptions } from "./cli-context.js";
export { createProgram } from "./create-program.js";
export { defineConfig, type GlassworkConfig } from "./define-config.js";
export { EXIT_CODES, type ExitCode } from "./exit-codes.js";
export { type MappedQueue, readLambdaWorkerFacts } from "./lambda-worker-facts.js";
export { CONFIG_FILE_NAMES, loadConfig } from "./load-config.js";
export { runCli } from "./run-cli.js";
export { UsageError } from "./usage-error.js";
