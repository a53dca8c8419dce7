import type { AppConfig } from "./config.js";
import { JOBS_QUEUE } from "./create-driver.js";
import type { LocalAws } from "./local/start-local-aws.js";

/**
 * The real name of a queue named as the app names it, for traces and metrics: the jobs queue's
 * URL ends with it. Producer and worker then report the same `messaging.destination.name`.
 */
export function physicalQueueName(
  config: AppConfig,
  localSqs?: LocalAws,
): (queue: string) => string {
  const url = localSqs?.jobsQueueUrl ?? config.JOBS_QUEUE_URL;
  const jobsQueue = url?.slice(url.lastIndexOf("/") + 1);
  return (queue) => (queue === JOBS_QUEUE && jobsQueue ? jobsQueue : queue);
}
