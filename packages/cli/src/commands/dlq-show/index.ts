import { listDeadLetters } from "@glasswork/ops";
import { Command } from "commander";
import { EXIT_CODES } from "../../exit-codes.js";
import { commandAction } from "../../internal/command-action.js";
import { deadLetterDetail } from "../../internal/dead-letter-tables.js";

/** `glasswork dlq show <messageId>`: one dead letter in full (payload, attributes, error). */
export function dlqShowCommand(): Command {
  return new Command("show")
    .description("show one dead letter: payload, error, attempts, attributes")
    .argument("<messageId>", "the dead letter's message id (from dlq list)")
    .option("-q, --queue <name>", "the source queue (default: the only one, or default)")
    .action(
      commandAction<{ queue?: string }>(async (ctx, [messageId = ""], options) => {
        const queue = ctx.queue(options.queue);
        const { letters } = await listDeadLetters(ctx.driver, queue, {
          messageId,
          allSources: true,
        });
        const letter = letters[0];
        if (!letter) {
          ctx.output.note(
            `glasswork: no dead letter ${messageId} in the dead-letter queue of "${queue}"`,
          );
          return EXIT_CODES.findings;
        }
        ctx.output.result(letter, () => deadLetterDetail(letter));
        return EXIT_CODES.ok;
      }),
    );
}
