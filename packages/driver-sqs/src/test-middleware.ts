// Test-only helpers (excluded from the build and the published package) that watch or bend
// what an `SQSClient` sends, through its middleware stack.
import type { SQSClient } from "@aws-sdk/client-sqs";

// Middleware names must be unique per client stack.
let installed = 0;

/** One command as a client sent it. */
export interface RecordedCommand {
  /** The command's name without the `Command` suffix, e.g. `"SendMessageBatch"`. */
  readonly name: string;
  readonly input: Record<string, unknown>;
}

/**
 * Records every command the client sends (once per command, not per SDK retry).
 *
 * @example
 * const commands = recordCommands(await driver.getClient());
 * await driver.send(messages);
 * expect(commands.filter((c) => c.name === "SendMessageBatch")).toHaveLength(3);
 */
export function recordCommands(client: SQSClient): RecordedCommand[] {
  const commands: RecordedCommand[] = [];
  client.middlewareStack.add(
    (next, context) => async (args) => {
      commands.push({
        name: String(context.commandName).replace(/Command$/, ""),
        input: structuredClone(args.input as Record<string, unknown>),
      });
      return next(args);
    },
    { step: "initialize", name: `glassworkTestRecordCommands${++installed}`, priority: "high" },
  );
  return commands;
}

/** Options of {@link failBatchEntries}. */
export interface FailBatchEntriesOptions {
  /** The batch command to bend. Default `"SendMessageBatch"`. */
  readonly command?: "SendMessageBatch" | "DeleteMessageBatch";
  /** Entry ids (positions in the request, as the driver numbers them) that fail. */
  readonly ids: readonly string[];
  /** How many requests to bend; later ones pass untouched. Default 1. */
  readonly times?: number;
  /** Default `"InternalError"`. */
  readonly code?: string;
  /** `false` (the default) is how SQS marks a failure that may succeed when sent again. */
  readonly senderFault?: boolean;
}

/**
 * Makes some entries of batch requests fail as SQS reports it: the entries are taken out of the
 * request before it is sent (so they never reach the queue) and come back under `Failed`.
 * Returns a live count of the entries failed so far. Can be installed several times.
 *
 * @example
 * failBatchEntries(await driver.getClient(), { ids: ["3", "7"], times: 2 });
 */
export function failBatchEntries(
  client: SQSClient,
  options: FailBatchEntriesOptions,
): { readonly count: number } {
  const command = `${options.command ?? "SendMessageBatch"}Command`;
  const failed = new Set(options.ids);
  let remaining = options.times ?? 1;
  const state = { count: 0 };
  client.middlewareStack.add(
    (next, context) => async (args) => {
      if (context.commandName !== command || remaining <= 0) return next(args);
      const input = args.input as { Entries?: { Id?: string }[] };
      const entries = input.Entries ?? [];
      const dropped = entries.filter((entry) => failed.has(entry.Id ?? ""));
      if (dropped.length === 0 || dropped.length === entries.length) return next(args);
      remaining--;
      state.count += dropped.length;
      const kept = entries.filter((entry) => !failed.has(entry.Id ?? ""));
      const result = await next({
        ...args,
        input: { ...args.input, Entries: kept } as typeof args.input,
      });
      const output = result.output as { Failed?: unknown[] };
      output.Failed = [
        ...(output.Failed ?? []),
        ...dropped.map((entry) => ({
          Id: entry.Id,
          Code: options.code ?? "InternalError",
          Message: "injected by failBatchEntries",
          SenderFault: options.senderFault ?? false,
        })),
      ];
      return result;
    },
    { step: "initialize", name: `glassworkTestFailBatchEntries${++installed}`, priority: "high" },
  );
  return state;
}
