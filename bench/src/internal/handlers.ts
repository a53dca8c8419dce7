import { BatchProcessor, EventType, processPartialResponse } from "@aws-lambda-powertools/batch";
import { bootstrapWorker } from "@glasswork/worker";
import type { Context, SQSBatchResponse, SQSEvent, SQSRecord } from "aws-lambda";
import { NoIoDriver } from "./no-io-driver.js";
import { noopJob, parseAndValidate } from "./sample-job.js";

/** An SQS Lambda handler under test. */
export type SqsHandler = (event: SQSEvent, context: Context) => Promise<SQSBatchResponse>;

/** Ours: `bootstrapWorker` with its defaults and the no-op job, on a driver that does no I/O. */
export function glassworkHandler(): { handler: SqsHandler; driver: NoIoDriver } {
  const driver = new NoIoDriver();
  return { handler: bootstrapWorker({ jobs: [noopJob], driver }), driver };
}

/**
 * The peer: Powertools' `processPartialResponse` with a record handler that parses the body and
 * validates the same schema, as its documentation shows.
 */
export function powertoolsHandler(): SqsHandler {
  const processor = new BatchProcessor(EventType.SQS);
  const recordHandler = async (record: SQSRecord): Promise<void> => {
    parseAndValidate(record.body);
  };
  return (event, context) => processPartialResponse(event, recordHandler, processor, { context });
}
