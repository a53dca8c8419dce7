import { type EnqueueItem, JobService } from "@glasswork/core";
import { SQSQueueDriver } from "@glasswork/driver-sqs";
import type { FauxqsServer } from "./fauxqs-server.js";
import { noopJob, samplePayload } from "./sample-job.js";

// Built and sent a chunk at a time, so that a large run never holds all its payloads at once.
const CHUNK = 10_000;

/**
 * Sends `count` no-op jobs to `queueUrl` the fast way (`enqueueBatch`), through a driver of its
 * own that is disposed after: what a benchmark consumes, enqueued before its clock starts.
 */
export async function enqueueSampleJobs(
  server: FauxqsServer,
  queueUrl: string,
  count: number,
): Promise<void> {
  const driver = new SQSQueueDriver({ ...server.clientConfig });
  try {
    const jobs = new JobService(driver);
    for (let sent = 0; sent < count; sent += CHUNK) {
      const items: EnqueueItem<typeof noopJob>[] = Array.from(
        { length: Math.min(CHUNK, count - sent) },
        (_, i) => ({
          job: noopJob,
          payload: samplePayload(sent + i),
          options: { queue: queueUrl },
        }),
      );
      await jobs.enqueueBatch(items);
    }
  } finally {
    await driver.dispose();
  }
}
