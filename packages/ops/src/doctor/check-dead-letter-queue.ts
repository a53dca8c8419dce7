import type { DoctorCheck } from "./finding.js";

/** A queue needs a dead-letter queue: without one, jobs that can never succeed loop or vanish. */
export const checkDeadLetterQueue: DoctorCheck = ({ queue, info, deadLetterInfo }) => {
  if (!info.deadLetterQueue) {
    return [
      {
        check: "dead-letter-queue",
        severity: "error",
        queue,
        message: `Queue "${queue}" has no dead-letter queue: permanent failures, invalid payloads and exhausted retries have nowhere to go (the worker logs NoDeadLetterQueueError and retries them).`,
        fix: `Create a dead-letter queue${info.fifo ? " (FIFO, as the queue is)" : ""} and set the queue's RedrivePolicy: {"deadLetterTargetArn":"<its ARN>","maxReceiveCount":<the largest maxAttempts>}.`,
      },
    ];
  }
  if (deadLetterInfo && deadLetterInfo.fifo !== info.fifo) {
    return [
      {
        check: "dead-letter-queue",
        severity: "error",
        queue,
        message: `Queue "${queue}" is ${info.fifo ? "FIFO" : "standard"} but its dead-letter queue "${info.deadLetterQueue}" is ${deadLetterInfo.fifo ? "FIFO" : "standard"}: SQS refuses to move messages between them.`,
        fix: `Use a ${info.fifo ? "FIFO" : "standard"} dead-letter queue for "${queue}".`,
      },
    ];
  }
  return [];
};
