import { LambdaClient } from "@aws-sdk/client-lambda";
import { doctor } from "@glasswork/ops";
import { Command } from "commander";
import { EXIT_CODES } from "../../exit-codes.js";
import { commandAction } from "../../internal/command-action.js";
import { doctorReportText } from "../../internal/doctor-report-text.js";
import { readLambdaWorkerFacts } from "../../lambda-worker-facts.js";
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
        const queues = names.length > 0 ? ctx.queues(names) : undefined;
        const margin = (ctx.config.worker as { deadlineMarginMs?: unknown } | undefined)
          ?.deadlineMarginMs;
        const worker = options.function
          ? await readLambdaWorkerFacts(
              new LambdaClient(ctx.config.region ? { region: ctx.config.region } : {}),
              options.function,
              (queues ?? ctx.queueNames).map((queue) => ({
                queue,
                physicalName: ctx.aliasesOf(queue)[0] ?? queue,
              })),
              typeof margin === "number" ? margin : undefined,
            )
          : ctx.config.worker;
        const report = await doctor(ctx.driver, {
          jobs: ctx.jobs,
          ...(queues && { queues }),
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
