import { randomUUID } from "node:crypto";
import { messageToRecord } from "@glasswork/worker";
import type { Context, SQSEvent } from "aws-lambda";
import { sampleMessage, samplePayload } from "./sample-job.js";

const SOURCE = {
  eventSourceARN: "arn:aws:sqs:us-east-1:000000000000:bench-jobs",
  awsRegion: "us-east-1",
};

/** An SQS event of `size` records carrying no-op jobs (by name), built as Lambda builds it. */
export function sampleSqsEvent(size = 10, offset = 0, jobName?: string): SQSEvent {
  const now = Date.now();
  return {
    Records: Array.from({ length: size }, (_, i) => {
      const { body, attributes } = sampleMessage(samplePayload(offset + i), jobName);
      return messageToRecord(
        {
          queue: "bench-jobs",
          messageId: randomUUID(),
          receiptHandle: randomUUID(),
          body,
          attributes,
          receiveCount: 1,
          sentTimestamp: now,
          firstReceiveTimestamp: now,
        },
        SOURCE,
      );
    }),
  };
}

/** A Lambda context with a 15-minute budget, as the runtime passes it. */
export function lambdaContext(): Context {
  const end = Date.now() + 900_000;
  return {
    callbackWaitsForEmptyEventLoop: true,
    functionName: "bench-worker",
    functionVersion: "$LATEST",
    invokedFunctionArn: "arn:aws:lambda:us-east-1:000000000000:function:bench-worker",
    memoryLimitInMB: "1024",
    awsRequestId: randomUUID(),
    logGroupName: "/aws/lambda/bench-worker",
    logStreamName: "bench",
    getRemainingTimeInMillis: () => end - Date.now(),
    done: () => {},
    fail: () => {},
    succeed: () => {},
  };
}
