import type { DoctorCheck } from "./finding.js";

/** The producer must not send what the queue refuses: its size limit cannot exceed the queue's. */
export const checkMessageSize: DoctorCheck = ({ queue, info, producerMaxMessageBytes }) => {
  const queueMax = info.maxMessageBytes;
  if (queueMax === undefined || producerMaxMessageBytes <= queueMax) return [];
  return [
    {
      check: "message-size",
      severity: "error",
      queue,
      message: `The producer allows messages up to ${producerMaxMessageBytes} bytes, but queue "${queue}" accepts at most ${queueMax}: messages in between pass the size check and are refused by SQS.`,
      fix: `Set JobService's maxMessageBytes to ${queueMax}, or the queue's MaximumMessageSize to ${producerMaxMessageBytes}.`,
    },
  ];
};
