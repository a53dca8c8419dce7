import { SQSClient } from "@aws-sdk/client-sqs";
import type { AnyJobDefinition, PeriodicJobDefinition } from "@glasswork/core";
import { SQSQueueDriver } from "@glasswork/driver-sqs";
import type { GlassworkConfig } from "./define-config.js";
import { loadConfig } from "./load-config.js";
import { Output } from "./output.js";
import { UsageError } from "./usage-error.js";

/** The options every command takes (see `glasswork --help`). */
export interface GlobalOptions {
  readonly config?: string;
  /** `name=url` overrides of the config's queues. */
  readonly queueUrl?: readonly string[];
  readonly endpoint?: string;
  readonly region?: string;
  readonly json?: boolean;
}

/**
 * What a command works with: the config with its overrides applied, the queues it names, a
 * driver created on first use, and the output.
 */
export class CliContext {
  readonly config: GlassworkConfig;
  readonly output: Output;
  /** True when a config file was found (commands that need jobs say so when not). */
  readonly hasConfigFile: boolean;
  #driver: SQSQueueDriver | undefined;
  #client: SQSClient | undefined;

  private constructor(config: GlassworkConfig, hasConfigFile: boolean, json: boolean) {
    this.config = config;
    this.hasConfigFile = hasConfigFile;
    this.output = new Output(json);
  }

  /** Loads the config (`--config`, `GLASSWORK_CONFIG`, or `glasswork.config.ts` in `cwd`). */
  static async create(options: GlobalOptions, cwd = process.cwd()): Promise<CliContext> {
    const file = options.config ?? process.env.GLASSWORK_CONFIG;
    const loaded = await loadConfig(file || undefined, cwd);
    const queues = { ...loaded?.queues, ...parseQueueUrls(options.queueUrl ?? []) };
    const endpoint = options.endpoint ?? loaded?.endpoint;
    const region = options.region ?? loaded?.region;
    const config: GlassworkConfig = {
      ...loaded,
      queues,
      ...(endpoint !== undefined && { endpoint }),
      ...(region !== undefined && { region }),
    };
    return new CliContext(config, loaded !== undefined, options.json === true);
  }

  /** The SQS driver for the configured queues (credentials from the SDK's default chain). */
  get driver(): SQSQueueDriver {
    if (this.#driver) return this.#driver;
    this.#client = new SQSClient({
      ...(this.config.region !== undefined && { region: this.config.region }),
      ...(this.config.endpoint !== undefined && { endpoint: this.config.endpoint }),
      // The SDK warns on the console when a queue URL's host is not the endpoint (local
      // queues without --endpoint) and then uses the URL's host, as wanted: output stays ours.
      ...(!process.env.GLASSWORK_DEBUG && { logger: QUIET_LOGGER }),
    });
    try {
      this.#driver = new SQSQueueDriver({
        client: this.#client,
        queues: this.config.queues,
        ...(this.config.producer?.maxMessageBytes !== undefined && {
          maxMessageBytes: this.config.producer.maxMessageBytes,
        }),
      });
    } catch (error) {
      // The driver checks the URLs and limits; those come from the user's config and flags.
      throw new UsageError((error as Error).message.replace(/^SQSQueueDriver: /, ""));
    }
    return this.#driver;
  }

  /** Every job of the config, queue jobs and periodic jobs. */
  get allJobs(): readonly (AnyJobDefinition | PeriodicJobDefinition)[] {
    return this.config.jobs ?? [];
  }

  /** The config's queue jobs. */
  get jobs(): AnyJobDefinition[] {
    return this.allJobs.filter((job): job is AnyJobDefinition => job.kind === "job");
  }

  /** The queues the config's jobs use. */
  get jobQueues(): string[] {
    return [...new Set(this.jobs.map((job) => job.queue))];
  }

  /** Queue names known from the config: its queues and those its jobs name. */
  get queueNames(): string[] {
    return [...new Set([...Object.keys(this.config.queues), ...this.jobs.map((j) => j.queue)])];
  }

  /** Checks a queue name; without one, the only queue or `default`. */
  queue(name?: string): string {
    const known = this.queueNames;
    if (name === undefined) {
      if (known.length === 1) return known[0] as string;
      if (known.includes("default")) return "default";
      throw new UsageError(
        known.length === 0
          ? this.noQueuesMessage()
          : `which queue? pass --queue (configured: ${known.join(", ")})`,
      );
    }
    if (!known.includes(name)) {
      throw new UsageError(
        known.length === 0
          ? this.noQueuesMessage()
          : `unknown queue "${name}" (configured: ${known.join(", ")})`,
      );
    }
    return name;
  }

  /** Checks queue names; none given means every known queue. */
  queues(names: readonly string[]): string[] {
    if (names.length === 0) {
      if (this.queueNames.length === 0) throw new UsageError(this.noQueuesMessage());
      return this.queueNames;
    }
    return names.map((name) => this.queue(name));
  }

  /** A queue job of the config, by name. */
  job(name: string): AnyJobDefinition {
    const job = this.allJobs.find((j) => j.name === name);
    if (job?.kind === "job") return job;
    if (job) throw new UsageError(`job "${name}" is periodic: it runs on its schedule`);
    const names = this.jobs.map((j) => j.name);
    throw new UsageError(
      names.length === 0
        ? `unknown job "${name}": ${this.hasConfigFile ? "the config lists no jobs" : "no glasswork.config.ts found (pass --config)"}`
        : `unknown job "${name}" (known: ${names.join(", ")})`,
    );
  }

  /** Other names a queue goes by in dead letters: the physical name in its URL. */
  aliasesOf(queue: string): string[] {
    const url = this.config.queues[queue];
    return url ? [url.slice(url.lastIndexOf("/") + 1)] : [];
  }

  /** Releases the driver's connections. */
  async dispose(): Promise<void> {
    await this.#driver?.dispose();
    this.#client?.destroy();
  }

  private noQueuesMessage(): string {
    return this.hasConfigFile
      ? "the config lists no queues"
      : "no glasswork.config.ts found: create one, or pass --config <file> or --queue-url <name>=<url>";
  }
}

const ignore = () => {};
const QUIET_LOGGER = { trace: ignore, debug: ignore, info: ignore, warn: ignore, error: ignore };

function parseQueueUrls(pairs: readonly string[]): Record<string, string> {
  const queues: Record<string, string> = {};
  for (const pair of pairs) {
    const at = pair.indexOf("=");
    if (at <= 0 || at === pair.length - 1)
      throw new UsageError(`--queue-url wants <name>=<url>, got "${pair}"`);
    queues[pair.slice(0, at)] = pair.slice(at + 1);
  }
  return queues;
}
