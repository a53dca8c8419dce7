import { Command } from "commander";
import { EXIT_CODES } from "../../exit-codes.js";
import { commandAction } from "../../internal/command-action.js";
import { positiveInteger } from "../../internal/parse-number.js";

interface DashboardCliOptions {
  readonly port?: number;
  readonly redact?: string[];
}

const collect = (value: string, previous: string[] = []) => [...previous, value];

/** `glasswork dashboard`: serves the jobs dashboard on 127.0.0.1 behind a token, until stopped. */
export function dashboardCommand(): Command {
  return new Command("dashboard")
    .description("serve the jobs dashboard on 127.0.0.1 behind a printed token (until SIGINT)")
    .option("-p, --port <n>", "port on 127.0.0.1 (default: any free port)", positiveInteger)
    .option("--redact <field>", "payload field never shown, e.g. card.number (repeatable)", collect)
    .action(
      commandAction<DashboardCliOptions>(async (ctx, _args, options) => {
        const queues = ctx.queues([]);
        // Loaded here: the other commands never need Hono.
        const { serveDashboard } = await import("@glasswork/dashboard");
        const served = await serveDashboard({
          driver: ctx.driver,
          queues,
          jobs: ctx.jobs,
          ...(options.port !== undefined && { port: options.port }),
          ...(options.redact && { redact: options.redact }),
        });
        const stopped = new Promise<void>((resolve) => {
          for (const signal of ["SIGINT", "SIGTERM"] as const) process.once(signal, resolve);
        });
        const { url, loginUrl } = served;
        ctx.output.result({ url, loginUrl }, () => `dashboard: ${loginUrl}\n(Ctrl-C to stop)`);
        await stopped;
        await served.close();
        return EXIT_CODES.ok;
      }),
    );
}
