import type { Command } from "commander";
import { CliContext, type GlobalOptions } from "../cli-context.js";
import type { ExitCode } from "../exit-codes.js";

/** What a command does once parsed: its operands and options in, an exit code out. */
export type CommandRun<Options> = (
  ctx: CliContext,
  args: string[],
  options: Options,
) => Promise<ExitCode>;

/**
 * Wraps a command's run as a commander action: builds the context from the global options,
 * runs, sets the exit code and releases the driver, whatever happens.
 */
export function commandAction<Options>(run: CommandRun<Options>) {
  return async (...params: unknown[]): Promise<void> => {
    const command = params[params.length - 1] as Command;
    const ctx = await CliContext.create(command.optsWithGlobals<GlobalOptions>());
    try {
      process.exitCode = await run(ctx, command.args, command.opts() as Options);
    } finally {
      await ctx.dispose();
    }
  };
}
