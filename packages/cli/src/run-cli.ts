import { createProgram } from "./create-program.js";
import { EXIT_CODES } from "./exit-codes.js";
import { reportError } from "./report-error.js";

/**
 * Runs `glasswork` with `argv` (as `process.argv`: node, script, then the arguments) and
 * resolves with the exit code; errors become one line on stderr, never a stack trace.
 *
 * @example
 * process.exitCode = await runCli(process.argv);
 */
export async function runCli(argv: readonly string[]): Promise<number> {
  process.exitCode = undefined;
  try {
    await createProgram().parseAsync([...argv]);
    return Number(process.exitCode ?? EXIT_CODES.ok);
  } catch (error) {
    return reportError(error, process.stderr);
  }
}
