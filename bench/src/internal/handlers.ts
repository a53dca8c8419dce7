import {
  BatchProcessor,
  BatchProcessorSync,
  EventType,
  processPartialResponse,
  processPartialResponseSync,
} from "@aws-lambda-powertools/batch";
import { bootstrapWorker } from "@glasswork/worker";
import type { Context, SQSBatchResponse, SQSEvent, SQSRecord } from "aws-lambda";
import { NoIoDriver } from "./no-io-driver.js";
import { noopAsyncJob, noopJob, parseAndValidate } from "./sample-job.js";

/** An SQS Lambda handler under test; Lambda accepts a synchronous result too. */
export type SqsHandler = (
  event: SQSEvent,
  context: Context,
) => SQSBatchResponse | Promise<SQSBatchResponse>;

/** Whether the job body (ours) or record handler (Powertools) is `async`. */
export type HandlerShape = "sync" | "async";

/**
 * Ours: `bootstrapWorker` with its defaults and the no-op job of that shape, on a driver that
 * does no I/O.
 */
export function glassworkHandler(shape: HandlerShape = "sync"): {
  handler: SqsHandler;
  driver: NoIoDriver;
} {
  const driver = new NoIoDriver();
  const job = shape === "sync" ? noopJob : noopAsyncJob;
  return { handler: bootstrapWorker({ jobs: [job], driver }), driver };
}

/**
 * The peer: Powertools' batch utility with a record handler that parses the body and validates
 * the same schema, as its documentation shows: `BatchProcessorSync` + `processPartialResponseSync`
 * for a synchronous record handler, `BatchProcessor` + `processPartialResponse` for an async one.
 */
export function powertoolsHandler(shape: HandlerShape = "async"): SqsHandler {
  if (shape === "sync") {
    const processor = new BatchProcessorSync(EventType.SQS);
    const recordHandler = (record: SQSRecord): void => {
      parseAndValidate(record.body);
    };
    return (event, context) =>
      processPartialResponseSync(event, recordHandler, processor, { context });
  }
  const processor = new BatchProcessor(EventType.SQS);
  const recordHandler = async (record: SQSRecord): Promise<void> => {
    parseAndValidate(record.body);
  };
  return (event, context) => processPartialResponse(event, recordHandler, processor, { context });
}
