// The peer's entry: the same minimal worker on Powertools' batch utility, as its documentation
// shows it.
import { BatchProcessor, EventType, processPartialResponse } from "@aws-lambda-powertools/batch";
import type { Context, SQSBatchResponse, SQSEvent, SQSRecord } from "aws-lambda";
import * as v from "valibot";

const schema = v.object({ userId: v.string() });
const processor = new BatchProcessor(EventType.SQS);

const recordHandler = async (record: SQSRecord): Promise<void> => {
  v.parse(schema, (JSON.parse(record.body) as { payload: unknown }).payload);
};

/** The Lambda handler. */
export const handler = (event: SQSEvent, context: Context): Promise<SQSBatchResponse> =>
  processPartialResponse(event, recordHandler, processor, { context });
