import { type Duration, JobService, silentLogger } from "@glasswork/core";
import { Command } from "commander";
import { EXIT_CODES } from "../../exit-codes.js";
import { commandAction } from "../../internal/command-action.js";
import { duration } from "../../internal/parse-duration.js";
import { parseJson } from "../../internal/parse-json.js";

interface EnqueueCliOptions {
  readonly delay?: Duration;
  readonly id?: string;
}

/** `glasswork enqueue <job> <json>`: validates the payload against the job's schema and sends it. */
export function enqueueCommand(): Command {
  return new Command("enqueue")
    .description("enqueue a job of the config, its payload validated against the job's schema")
    .argument("<job>", "the job's name")
    .argument("<json>", "the payload, as JSON")
    .option("--delay <duration>", 'run after this long ("10m", "2h", or seconds)', duration)
    .option("--id <jobId>", "the job id (default: the job's unique key, or a random UUID)")
    .action(
      commandAction<EnqueueCliOptions>(async (ctx, [name = "", json = ""], options) => {
        const job = ctx.job(name);
        const payload = parseJson(json, "payload");
        const jobs = new JobService(ctx.driver, {
          logger: silentLogger,
          ...(ctx.config.producer?.maxMessageBytes !== undefined && {
            maxMessageBytes: ctx.config.producer.maxMessageBytes,
          }),
        });
        const enqueued = await jobs.enqueue(job, payload, {
          ...(options.delay !== undefined && { delay: options.delay }),
          ...(options.id !== undefined && { id: options.id }),
        });
        ctx.output.result(
          enqueued,
          () =>
            `enqueued ${enqueued.jobName} on "${enqueued.queue}": job id ${enqueued.jobId}, message id ${enqueued.messageId}${enqueued.delaySeconds > 0 ? `, in ${enqueued.delaySeconds} s` : ""}`,
        );
        return EXIT_CODES.ok;
      }),
    );
}
