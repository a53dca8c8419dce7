import { createJsonLogger } from "@glasswork/core";
import { bootstrapWorker, type PollerOptions, startPoller } from "@glasswork/worker";
import { Command } from "commander";
import { EXIT_CODES } from "../../exit-codes.js";
import { commandAction } from "../../internal/command-action.js";
import { positiveInteger } from "../../internal/parse-number.js";
import { UsageError } from "../../usage-error.js";

type WorkOptions = Pick<PollerOptions, "concurrency" | "batchSize" | "waitTimeSeconds">;

/** `glasswork work [queue…]`: runs the config's jobs locally, like Laravel's `queue:work`. */
export function workCommand(): Command {
  return new Command("work")
    .description("run the config's jobs from their queues until SIGINT/SIGTERM (a local poller)")
    .argument("[queue...]", "queues to work (default: every queue the jobs use)")
    .option("--concurrency <n>", "batches in flight per queue (default 1)", positiveInteger)
    .option("--batch-size <n>", "messages per batch, 1..10 (default 10)", positiveInteger)
    .option("--wait-time-seconds <s>", "long-poll wait, 1..20 (default 20)", positiveInteger)
    .action(
      commandAction<WorkOptions>(async (ctx, names, options) => {
        if (ctx.allJobs.length === 0)
          throw new UsageError("no jobs to run: list them in the config's jobs");
        const queues = names.length > 0 ? ctx.queues(names) : ctx.jobQueues;
        const logger = createJsonLogger();
        const handler = bootstrapWorker({
          jobs: ctx.allJobs,
          driver: ctx.driver,
          logger,
          ...(ctx.config.services !== undefined && { services: ctx.config.services }),
        });
        const pollers = queues.map((queue) =>
          startPoller({
            handler,
            driver: ctx.driver,
            queue,
            logger,
            stopOnSignals: ["SIGINT", "SIGTERM"],
            ...options,
          }),
        );
        const jobs = `${ctx.allJobs.length} jobs`;
        ctx.output.note(`glasswork: working ${queues.join(", ")} (${jobs}); Ctrl-C to stop`);
        await Promise.all(pollers.map((p) => p.stopped));
        ctx.output.note("glasswork: stopped");
        return EXIT_CODES.ok;
      }),
    );
}
