import {
  GetFunctionConfigurationCommand,
  type LambdaClient,
  ListEventSourceMappingsCommand,
} from "@aws-sdk/client-lambda";
import type { WorkerFacts } from "@glasswork/ops";

/** A queue as `doctor` looks it up in the function's event source mappings. */
export interface MappedQueue {
  /** The logical name, as the config has it. */
  readonly queue: string;
  /** The physical name: the last segment of the queue's URL and ARN. */
  readonly physicalName: string;
}

/**
 * Reads what `doctor` needs to know about a worker function from the Lambda API: its timeout
 * (`GetFunctionConfiguration`) and, per queue, whether the event source mapping from that queue
 * reports batch item failures (`ListEventSourceMappings`). A queue without a mapping to the
 * function gets no `reportBatchItemFailures` (the check is then skipped for it).
 *
 * @example
 * // given: LambdaClient
 * const facts = await readLambdaWorkerFacts(new LambdaClient({}), "jobs-worker", [
 *   { queue: "default", physicalName: "my-app-jobs" },
 * ]);
 */
export async function readLambdaWorkerFacts(
  client: LambdaClient,
  functionName: string,
  queues: readonly MappedQueue[],
  deadlineMarginMs?: number,
): Promise<Record<string, WorkerFacts>> {
  const config = await client.send(
    new GetFunctionConfigurationCommand({ FunctionName: functionName }),
  );
  const mappings = [];
  let marker: string | undefined;
  do {
    const page = await client.send(
      new ListEventSourceMappingsCommand({
        FunctionName: functionName,
        ...(marker && { Marker: marker }),
      }),
    );
    mappings.push(...(page.EventSourceMappings ?? []));
    marker = page.NextMarker;
  } while (marker);
  const facts: Record<string, WorkerFacts> = {};
  for (const { queue, physicalName } of queues) {
    const mapping = mappings.find((m) => m.EventSourceArn?.split(":").at(-1) === physicalName);
    facts[queue] = {
      ...(config.Timeout !== undefined && { functionTimeoutSeconds: config.Timeout }),
      ...(deadlineMarginMs !== undefined && { deadlineMarginMs }),
      ...(mapping && {
        reportBatchItemFailures: (mapping.FunctionResponseTypes ?? []).includes(
          "ReportBatchItemFailures",
        ),
      }),
    };
  }
  return facts;
}
