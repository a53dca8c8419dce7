import type { Services } from "@glasswork/core";
import type { WorkerOptions } from "../bootstrap-worker.js";

/**
 * The app's services, created on first use and shared by later invocations: a promise until
 * they are created, then the services themselves, so that a warm invocation does not wait a
 * microtask for them.
 */
export function memoizeServices(
  services: WorkerOptions["services"],
): () => Services | Promise<Services> {
  // Services are created on the first invocation and shared by the next ones; a failed creation
  // fails that invocation and is tried again by the next.
  let pending: Promise<Services> | undefined;
  let created = false;
  let value: Services | undefined;
  return () => {
    if (created) return value as Services;
    if (!pending) {
      const creating = Promise.resolve(
        typeof services === "function"
          ? (services as () => Services | Promise<Services>)()
          : (services as Services),
      );
      pending = creating;
      creating.then(
        (done) => {
          value = done;
          created = true;
        },
        () => {
          if (pending === creating) pending = undefined;
        },
      );
    }
    return pending;
  };
}
