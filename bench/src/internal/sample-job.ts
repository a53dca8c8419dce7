import { randomUUID } from "node:crypto";
import { defineJob, encodeEnvelope, JOB_NAME_ATTRIBUTE } from "@glasswork/core";
import * as v from "valibot";

/** The payload schema every benchmark validates, on both sides. */
export const payloadSchema = v.object({
  userId: v.string(),
  index: v.number(),
  tags: v.array(v.string()),
});

/** The payload type of {@link noopJob}. */
export type SamplePayload = v.InferOutput<typeof payloadSchema>;

/** How many times a job body ran, on either side: the benchmarks check it against the input. */
export const jobRuns = { count: 0 };

/** A job that only counts itself, so that only the framework's own cost is measured. */
export const noopJob = defineJob({
  name: "bench-noop",
  schema: payloadSchema,
  retry: { maxAttempts: 5 },
  handler: () => {
    jobRuns.count++;
  },
});

/** {@link noopJob} with an `async` handler: what most real jobs are. */
export const noopAsyncJob = defineJob({
  name: "bench-noop-async",
  schema: payloadSchema,
  retry: { maxAttempts: 5 },
  handler: async () => {
    jobRuns.count++;
  },
});

/** A small payload, different for every index. */
export function samplePayload(index: number): SamplePayload {
  return { userId: `user-${index}`, index, tags: ["bench", "small"] };
}

/**
 * The body and attributes `JobService` sends for a payload of {@link noopJob}: the naive path
 * and the peers get the very same bytes.
 */
export function sampleMessage(
  payload: SamplePayload,
  jobName: string = noopJob.name,
): {
  body: string;
  attributes: Record<string, string>;
} {
  return {
    body: encodeEnvelope({
      v: 1,
      id: randomUUID(),
      name: jobName,
      payload,
      enqueuedAt: new Date().toISOString(),
    }),
    attributes: { [JOB_NAME_ATTRIBUTE]: jobName },
  };
}

/** What a hand-written consumer does with a body: parse it, validate the payload, no I/O. */
export function parseAndValidate(body: string): SamplePayload {
  const envelope = JSON.parse(body) as { payload: unknown };
  const payload = v.parse(payloadSchema, envelope.payload);
  jobRuns.count++;
  return payload;
}
