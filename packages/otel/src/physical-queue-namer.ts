import type { OtelHooksOptions, QueueNaming } from "./otel-options.js";

/**
 * Returns how to turn a queue name as Glasswork code uses it into the queue's real name, for
 * `messaging.destination.name`: the `physicalQueueName` option, else the driver's
 * `physicalQueueName`, else a URL's last segment, else the name unchanged.
 */
export function physicalQueueNamer(options: OtelHooksOptions): (queue: string) => string {
  if (options.physicalQueueName) {
    const named = options.physicalQueueName;
    return (queue) => named(queue) || queue;
  }
  const driver = options.driver as Partial<QueueNaming> | undefined;
  if (typeof driver?.physicalQueueName === "function") {
    const naming = driver as QueueNaming;
    return (queue) => naming.physicalQueueName(queue) || queue;
  }
  return lastUrlSegment;
}

function lastUrlSegment(queue: string): string {
  if (!/^https?:\/\//i.test(queue)) return queue;
  const path = queue.replace(/[?#].*$/, "").replace(/\/+$/, "");
  return path.slice(path.lastIndexOf("/") + 1);
}
