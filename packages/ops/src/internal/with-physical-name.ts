import type { QueueDriver } from "@glasswork/core";
import type { SourceOptions } from "../dead-letter-filter.js";

/**
 * The source options with the queue's physical name among its aliases: a Lambda worker records
 * a dead letter's source under the name in its event source ARN, while operators name the queue
 * as the driver is configured (`"default"`).
 */
export function withPhysicalName<O extends SourceOptions>(
  driver: QueueDriver,
  queue: string,
  options: O,
): O {
  const physical = driver.physicalQueueName?.(queue);
  if (physical === undefined || physical === queue) return options;
  return { ...options, queueAliases: [...(options.queueAliases ?? []), physical] };
}
