import type { DeadLetterReason } from "@glasswork/core";
import type { DeadLetterFilter, SourceOptions } from "@glasswork/ops";
import { type Command, InvalidArgumentError, Option } from "commander";
import type { CliContext } from "../cli-context.js";

/** The dead-letter reasons a `--reason` filter accepts. */
export const REASONS: readonly DeadLetterReason[] = [
  "malformed",
  "invalid-envelope",
  "invalid-payload",
  "unknown-job",
  "permanent",
  "retry-exhausted",
  "signature",
  "max-receive-count",
];

/** The parsed options shared by the `dlq` commands. */
export interface DeadLetterCliOptions {
  readonly queue?: string;
  readonly job?: string[];
  readonly reason?: DeadLetterReason[];
  readonly fingerprint?: string;
}

const collect = (value: string, previous: string[] = []) => [...previous, value];

// Commander's choices() is an argParser of its own, so a repeatable option checks them here.
const collectReason = (value: string, previous: DeadLetterReason[] = []) => {
  if (!(REASONS as readonly string[]).includes(value))
    throw new InvalidArgumentError(`Allowed choices are ${REASONS.join(", ")}.`);
  return [...previous, value as DeadLetterReason];
};

/** Adds `--queue`, `--job`, `--reason` and `--fingerprint` to a `dlq` command. */
export function withDeadLetterFilters(command: Command): Command {
  return command
    .option("-q, --queue <name>", "the source queue (default: the only one, or default)")
    .option("--job <name>", "only this job (repeatable)", collect)
    .addOption(
      new Option(
        "--reason <reason>",
        `only this dead-letter reason (repeatable): ${REASONS.join(", ")}`,
      ).argParser(collectReason),
    )
    .option("--fingerprint <id>", "only this group (see dlq list --group)");
}

/** The ops filter and source options for parsed `dlq` options. */
export function deadLetterSelection(
  ctx: CliContext,
  queue: string,
  options: DeadLetterCliOptions,
): DeadLetterFilter & SourceOptions {
  return {
    ...(options.job && { jobName: options.job }),
    ...(options.reason && { reason: options.reason }),
    ...(options.fingerprint && { fingerprint: options.fingerprint }),
    jobs: ctx.jobs,
    queueAliases: ctx.aliasesOf(queue),
  };
}
