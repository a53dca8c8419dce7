import { readFileSync } from "node:fs";
import { Command, Option } from "commander";
import { dashboardCommand } from "./commands/dashboard/index.js";
import { dlqDeleteCommand } from "./commands/dlq-delete/index.js";
import { dlqListCommand } from "./commands/dlq-list/index.js";
import { dlqPurgeCommand } from "./commands/dlq-purge/index.js";
import { dlqRedriveCommand } from "./commands/dlq-redrive/index.js";
import { dlqShowCommand } from "./commands/dlq-show/index.js";
import { doctorCommand } from "./commands/doctor/index.js";
import { enqueueCommand } from "./commands/enqueue/index.js";
import { statsCommand } from "./commands/stats/index.js";
import { workCommand } from "./commands/work/index.js";

function packageVersion(): string {
  // One level below the package root, in src/ and in dist/ alike.
  const url = new URL("../package.json", import.meta.url);
  return (JSON.parse(readFileSync(url, "utf8")) as { version: string }).version;
}

const collect = (value: string, previous: string[] = []) => [...previous, value];

/**
 * The `glasswork` program: global options and every command. It throws instead of exiting
 * (`exitOverride`), so {@link runCli} decides the exit code.
 *
 * @example
 * await createProgram().parseAsync(["node", "glasswork", "stats", "--json"]);
 */
export function createProgram(): Command {
  const program = new Command("glasswork")
    .description(
      "Operate Glasswork Jobs queues: stats, dead letters, enqueue, work, doctor, dashboard",
    )
    .option(
      "-c, --config <file>",
      "config file (default: glasswork.config.ts; env GLASSWORK_CONFIG)",
    )
    .option("--queue-url <name=url>", "set or override a queue's URL (repeatable)", collect)
    .addOption(new Option("--endpoint <url>", "SQS endpoint, e.g. a local server"))
    .addOption(new Option("--region <region>", "AWS region (default: the SDK's, e.g. AWS_REGION)"))
    .option("--json", "print only JSON on stdout, for scripts")
    .version(packageVersion(), "-V, --version")
    .showSuggestionAfterError(true)
    .exitOverride()
    .configureOutput({
      // One line, like every other error: commander puts its suggestion on a second one.
      outputError: (text, write) =>
        write(
          `glasswork: ${text
            .replace(/^error: /, "")
            .replace(/\s*\n\s*/g, " ")
            .trim()}\n`,
        ),
    });
  const dlq = new Command("dlq")
    .description("dead letters: list, show, redrive, delete, purge")
    .addCommand(dlqListCommand())
    .addCommand(dlqShowCommand())
    .addCommand(dlqRedriveCommand())
    .addCommand(dlqDeleteCommand())
    .addCommand(dlqPurgeCommand());
  for (const command of [
    statsCommand(),
    dlq,
    enqueueCommand(),
    workCommand(),
    doctorCommand(),
    dashboardCommand(),
  ]) {
    program.addCommand(command);
  }
  for (const command of [program, ...program.commands, ...dlq.commands]) {
    command.exitOverride().configureOutput(program.configureOutput());
  }
  return program;
}
