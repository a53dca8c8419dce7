import { isJobError } from "@glasswork/core";
import { CommanderError } from "commander";
import { EXIT_CODES, type ExitCode } from "./exit-codes.js";
import { UsageError } from "./usage-error.js";

const BAD_INPUT = new Set([
  "INVALID_PAYLOAD",
  "PAYLOAD_TOO_LARGE",
  "NO_DEAD_LETTER_QUEUE",
  "CONFIRMATION_REQUIRED",
  "UNKNOWN_JOB",
]);

/**
 * Prints an error as one line on stderr (the stack only with `GLASSWORK_DEBUG=1`) and returns
 * the exit code that says what kind of failure it was.
 *
 * @example
 * // given: error
 * process.exitCode = reportError(error, process.stderr);
 */
export function reportError(error: unknown, stderr: NodeJS.WritableStream): ExitCode {
  if (error instanceof CommanderError) {
    // Commander has printed its own line already (help, version, or the usage error).
    return error.exitCode === 0 ? EXIT_CODES.ok : EXIT_CODES.usage;
  }
  const code = exitCodeOf(error);
  const message = error instanceof Error ? messageOf(error) : String(error);
  stderr.write(
    `glasswork: ${code === EXIT_CODES.findings && !isJobError(error) ? "unexpected error: " : ""}${oneLine(message)}\n`,
  );
  if (process.env.GLASSWORK_DEBUG && error instanceof Error && error.stack) {
    stderr.write(`${error.stack}\n`);
  }
  return code;
}

function exitCodeOf(error: unknown): ExitCode {
  if (error instanceof UsageError) return EXIT_CODES.usage;
  if (isJobError(error)) {
    if (BAD_INPUT.has(error.code)) return EXIT_CODES.usage;
    if (error.code === "QUEUE_DRIVER") return EXIT_CODES.aws;
    return EXIT_CODES.findings;
  }
  if (isAwsError(error)) return EXIT_CODES.aws;
  return EXIT_CODES.findings;
}

// SDK service errors carry `$metadata`; credential and network failures have these names.
function isAwsError(error: unknown): boolean {
  if (!(error instanceof Error)) return false;
  return (
    "$metadata" in error ||
    error.name === "CredentialsProviderError" ||
    ["ECONNREFUSED", "ENOTFOUND", "ETIMEDOUT"].includes((error as { code?: string }).code ?? "")
  );
}

function messageOf(error: Error): string {
  if (isAwsError(error) && !isJobError(error)) return `${error.name}: ${error.message}`;
  return error.message;
}

function oneLine(text: string): string {
  return text.replace(/\s*\n\s*/g, " ").trim();
}
