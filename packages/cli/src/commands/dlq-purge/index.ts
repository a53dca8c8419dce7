import { deleteDeadLetters } from "@glasswork/ops";
import { Command } from "commander";
import { EXIT_CODES } from "../../exit-codes.js";
import { commandAction } from "../../internal/command-action.js";
import { confirm } from "../../internal/confirm.js";
import {
  type DeadLetterCliOptions,
  deadLetterSelection,
  withDeadLetterFilters,
} from "../../internal/dead-letter-options.js";

interface PurgeOptions extends DeadLetterCliOptions {
  readonly yes?: boolean;
}

/** `glasswork dlq purge`: deletes all of a queue's dead letters (or those matching), for good. */
export function dlqPurgeCommand(): Command {
  return withDeadLetterFilters(new Command("purge"))
    .description("delete every dead letter of the queue (or those matching the filters), for good")
    .option("-y, --yes", "do not ask (needed when stdin is not a terminal)")
    .action(
      commandAction<PurgeOptions>(async (ctx, _args, options) => {
        const queue = ctx.queue(options.queue);
        const filtered = Boolean(options.job || options.reason || options.fingerprint);
        const which = filtered ? "the matching dead letters" : "every dead letter";
        if (
          !(await confirm(`Delete ${which} of "${queue}" for good?`, queue, options.yes === true))
        ) {
          ctx.output.note("glasswork: nothing deleted");
          return EXIT_CODES.findings;
        }
        const result = await deleteDeadLetters(ctx.driver, queue, {
          ...deadLetterSelection(ctx, queue, options),
          confirm: queue,
        });
        ctx.output.result(result, () => `deleted ${result.deleted} dead letter(s) of "${queue}"`);
        return EXIT_CODES.ok;
      }),
    );
}
