import type { QueueStats } from "@glasswork/core";
import { queueStats } from "@glasswork/ops";
import { Command } from "commander";
import { EXIT_CODES } from "../../exit-codes.js";
import { commandAction } from "../../internal/command-action.js";
import { renderTable } from "../../internal/render-table.js";

const depth = (s: QueueStats) => s.visible + s.inFlight + s.delayed;

/** `glasswork stats [queue…]`: visible, in flight and delayed messages, and the DLQ's depth. */
export function statsCommand(): Command {
  return new Command("stats")
    .description("queue depths: visible, in flight, delayed, and dead letters")
    .argument("[queue...]", "logical queue names (default: every configured queue)")
    .action(
      commandAction(async (ctx, names) => {
        const reports = await queueStats(ctx.driver, ctx.queues(names));
        ctx.output.result(reports, () =>
          renderTable(
            ["queue", "visible", "in flight", "delayed", "dead letters", "dead-letter queue"],
            reports.map((r) => [
              r.fifo ? `${r.queue} (FIFO)` : r.queue,
              r.stats.visible,
              r.stats.inFlight,
              r.stats.delayed,
              r.deadLetters ? depth(r.deadLetters) : "-",
              r.deadLetterQueue ?? "none",
            ]),
          ),
        );
        return EXIT_CODES.ok;
      }),
    );
}
