import type { SQSEvent } from "aws-lambda";

/** True for an SQS batch: `Records` that all come from `aws:sqs`. */
export function isSqsEvent(event: unknown): event is SQSEvent {
  // S3, SNS, DynamoDB-stream and Kinesis events have `Records` too: only records that say they
  // come from SQS make an SQS event.
  if (typeof event !== "object" || event === null) return false;
  const records: unknown = (event as { Records?: unknown }).Records;
  return (
    Array.isArray(records) &&
    records.every((r) => (r as { eventSource?: unknown } | null)?.eventSource === "aws:sqs")
  );
}

/** The source a non-SQS event names (`aws:s3`, `aws:sns`…), for the error; undefined without `Records`. */
export function eventSourceOf(event: unknown): string | undefined {
  const records: unknown = (event as { Records?: unknown } | null)?.Records;
  if (!Array.isArray(records)) return undefined;
  const record = records.find((r) => (r as { eventSource?: unknown })?.eventSource !== "aws:sqs") as
    | { eventSource?: unknown; EventSource?: unknown }
    | undefined;
  // SNS spells it `EventSource`.
  const source = record?.eventSource ?? record?.EventSource;
  return typeof source === "string" ? source.slice(0, 64) : "an unknown source";
}
