import type { AnyJobDefinition } from "@glasswork/core";
import type { WorkerRuntime } from "./worker-runtime.js";

/** Warns, once per cold start, about jobs that allow more attempts than their queue's redrive policy lets a message be received. */
export async function warnAboutRedrive(rt: WorkerRuntime): Promise<void> {
  const queues = new Map<string, AnyJobDefinition[]>();
  for (const job of rt.jobs.values())
    queues.set(job.queue, [...(queues.get(job.queue) ?? []), job]);
  await Promise.all(
    [...queues].map(async ([queue, jobs]) => {
      try {
        const info = await rt.driver.queueInfo(queue);
        if (info.maxReceiveCount === undefined) return;
        for (const job of jobs) {
          if (job.retry.maxAttempts > info.maxReceiveCount) {
            rt.logger.warn(
              {
                queue,
                jobName: job.name,
                maxAttempts: job.retry.maxAttempts,
                maxReceiveCount: info.maxReceiveCount,
              },
              `job "${job.name}" allows ${job.retry.maxAttempts} attempts but queue "${queue}" moves messages to its dead-letter queue after ${info.maxReceiveCount} receives: raise maxReceiveCount to at least ${job.retry.maxAttempts}`,
            );
          }
        }
      } catch (error) {
        rt.logger.warn(
          { queue, err: error },
          "could not read the queue's redrive policy to check maxReceiveCount",
        );
      }
    }),
  );
}
