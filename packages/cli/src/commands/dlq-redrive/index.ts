import { redriveDeadLetters } from "@glasswork/ops";
import { Command } from "commander";
import { EXIT_CODES } from "../../exit-codes.js";
import { commandAction } from "../../internal/command-action.js";
import {
  type DeadLetterCliOptions,
  deadLetterSelection,
  withDeadLetterFilters,
} from "../../internal/dead-letter-options.js";
import { deadLettersTable } from "../../internal/dead-letter-tables.js";
import { positiveInteger, positiveNumber } from "../../internal/parse-number.js";
import { redriveSummary } from "../../internal/redrive-summary.js";

interface RedriveCliOptions extends DeadLetterCliOptions {
  readonly dryRun?: boolean;
  readonly rate?: number;
  readonly limit?: number;
}

/** `glasswork dlq redrive`: sends dead letters back to their queue, at most what was there. */
export function dlqRedriveCommand(): Command {
  return withDeadLetterFilters(new Command("redrive"))
    .description("send dead letters back to their queue (at most what the DLQ held at the start)")
    .option("--dry-run", "list what would move, move nothing")
    .option("--rate <n>", "most messages moved per second", positiveNumber)
    .option("--limit <n>", "most messages to move (default: the DLQ's depth)", positiveInteger)
    .action(
      commandAction<RedriveCliOptions>(async (ctx, _args, options) => {
        const queue = ctx.queue(options.queue);
        const bar = ctx.output.progress(options.dryRun ? "looking" : "redriving");
        const result = await redriveDeadLetters(ctx.driver, queue, {
          ...deadLetterSelection(ctx, queue, options),
          ...(options.dryRun && { dryRun: true }),
          ...(options.rate !== undefined && { ratePerSecond: options.rate }),
          ...(options.limit !== undefined && { limit: options.limit }),
          onProgress: (p) => bar.update(p.moved + p.failed, p.total, `failed ${p.failed}`),
        }).finally(() => bar.stop());
        ctx.output.result(result, () =>
          [
            ...(options.dryRun ? [deadLettersTable(result.wouldMove)] : []),
            redriveSummary(queue, result, options.dryRun === true),
          ].join("\n"),
        );
        return result.failed > 0 ? EXIT_CODES.findings : EXIT_CODES.ok;
      }),
    );
}
