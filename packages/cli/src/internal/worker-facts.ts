import { LambdaClient } from "@aws-sdk/client-lambda";
import type { DoctorOptions } from "@glasswork/ops";
import type { CliContext } from "../cli-context.js";
import { readLambdaWorkerFacts } from "../lambda-worker-facts.js";

/**
 * What `doctor` is told about the worker: from the Lambda API when a function is named (the
 * config's `deadlineMarginMs` kept), else the config's `worker`, else nothing.
 */
export async function workerFacts(
  ctx: CliContext,
  queues: readonly string[],
  functionName: string | undefined,
): Promise<DoctorOptions["worker"]> {
  if (functionName === undefined) return ctx.config.worker;
  const margin = (ctx.config.worker as { deadlineMarginMs?: unknown } | undefined)
    ?.deadlineMarginMs;
  const client = new LambdaClient(ctx.config.region ? { region: ctx.config.region } : {});
  try {
    return await readLambdaWorkerFacts(
      client,
      functionName,
      queues.map((queue) => ({ queue, physicalName: ctx.aliasesOf(queue)[0] ?? queue })),
      typeof margin === "number" ? margin : undefined,
    );
  } finally {
    client.destroy();
  }
}
