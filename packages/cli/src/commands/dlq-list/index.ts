import { groupDeadLetters, listDeadLetters } from "@glasswork/ops";
import { Command } from "commander";
import { EXIT_CODES } from "../../exit-codes.js";
import { commandAction } from "../../internal/command-action.js";
import {
  type DeadLetterCliOptions,
  deadLetterSelection,
  withDeadLetterFilters,
} from "../../internal/dead-letter-options.js";
import { deadLetterGroupsTable, deadLettersTable } from "../../internal/dead-letter-tables.js";
import { positiveInteger } from "../../internal/parse-number.js";

interface ListOptions extends DeadLetterCliOptions {
  readonly group?: boolean;
  readonly limit?: number;
}

/** `glasswork dlq list`: the dead letters of a queue, one per row or grouped by fingerprint. */
export function dlqListCommand(): Command {
  return withDeadLetterFilters(new Command("list"))
    .description("list dead letters (each once, oldest first)")
    .option("--group", "group by fingerprint (job + reason + normalised error)")
    .option("--limit <n>", "most dead letters to read (default 1000)", positiveInteger)
    .action(
      commandAction<ListOptions>(async (ctx, _args, options) => {
        const queue = ctx.queue(options.queue);
        const { letters, truncated, deadLetterQueue } = await listDeadLetters(ctx.driver, queue, {
          ...deadLetterSelection(ctx, queue, options),
          ...(options.limit !== undefined && { limit: options.limit }),
        });
        if (truncated) ctx.output.note("glasswork: there are more dead letters than listed");
        if (options.group) {
          const groups = groupDeadLetters(letters);
          ctx.output.result({ deadLetterQueue, truncated, groups }, () =>
            deadLetterGroupsTable(groups),
          );
        } else {
          ctx.output.result({ deadLetterQueue, truncated, letters }, () =>
            deadLettersTable(letters),
          );
        }
        return EXIT_CODES.ok;
      }),
    );
}
