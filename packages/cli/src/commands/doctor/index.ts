import { doctor } from "@glasswork/ops";
import { Command } from "commander";
import { EXIT_CODES } from "../../exit-codes.js";
import { commandAction } from "../../internal/command-action.js";
import { doctorReportText } from "../../internal/doctor-report-text.js";
import { workerFacts } from "../../internal/worker-facts.js";
import { UsageError } from "../../usage-error.js";

/** `glasswork doctor [queue…]`: checks the deployment against the job definitions. */
export function doctorCommand(): Command {
  return new Command("doctor")
    .description("check queues, dead-letter queues and the worker against the job definitions")
    .argument("[queue...]", "queues to check (default: every queue the jobs use)")
    .option("--function <name>", "read the worker's timeout and event source mapping from Lambda")
    .action(
      commandAction<{ function?: string }>(async (ctx, names, options) => {
        if (ctx.jobs.length === 0)
          throw new UsageError("doctor checks queues against their jobs: list them in the config");
        const queues = names.length > 0 ? ctx.queues(names) : ctx.jobQueues;
        const worker = await workerFacts(ctx, queues, options.function);
        if (worker === undefined) {
          ctx.output.note(
            "glasswork: the worker's timeout and event source mapping are unknown, so their checks are skipped: set worker in the config, or pass --function <name>",
          );
        }
        const report = await doctor(ctx.driver, {
          jobs: ctx.jobs,
          queues,
          ...(worker && { worker }),
          ...(ctx.config.producer?.maxMessageBytes !== undefined && {
            producerMaxMessageBytes: ctx.config.producer.maxMessageBytes,
          }),
        });
        ctx.output.result(report, () => doctorReportText(report));
        const failed = report.findings.some((f) => f.severity === "error");
        return failed ? EXIT_CODES.findings : EXIT_CODES.ok;
      }),
    );
}
