import { deleteDeadLetters } from "@glasswork/ops";
import { Command } from "commander";
import { EXIT_CODES } from "../../exit-codes.js";
import { commandAction } from "../../internal/command-action.js";
import { confirm } from "../../internal/confirm.js";

interface DeleteOptions {
  readonly queue?: string;
  readonly yes?: boolean;
}

/** `glasswork dlq delete <messageId…>`: deletes dead letters for good, after confirmation. */
export function dlqDeleteCommand(): Command {
  return new Command("delete")
    .description("delete dead letters by message id, for good")
    .argument("<messageId...>", "message ids (from dlq list)")
    .option("-q, --queue <name>", "the source queue (default: the only one, or default)")
    .option("-y, --yes", "do not ask (needed when stdin is not a terminal)")
    .action(
      commandAction<DeleteOptions>(async (ctx, ids, options) => {
        const queue = ctx.queue(options.queue);
        const question = `Delete ${ids.length} dead letter(s) of "${queue}" for good?`;
        if (!(await confirm(question, queue, options.yes === true))) {
          ctx.output.note("glasswork: nothing deleted");
          return EXIT_CODES.findings;
        }
        const result = await deleteDeadLetters(ctx.driver, queue, {
          messageId: ids,
          confirm: queue,
          jobs: ctx.jobs,
          queueAliases: ctx.aliasesOf(queue),
          unknownSource: "include",
        });
        const missing = ids.filter((id) => !result.messageIds.includes(id));
        ctx.output.result({ ...result, missing }, () =>
          [
            `deleted ${result.deleted} dead letter(s) of "${queue}"`,
            ...(missing.length > 0 ? [`not found: ${missing.join(", ")}`] : []),
          ].join("\n"),
        );
        return missing.length > 0 ? EXIT_CODES.findings : EXIT_CODES.ok;
      }),
    );
}
