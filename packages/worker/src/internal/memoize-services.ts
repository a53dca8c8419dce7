import type { Services } from "@glasswork/core";
import type { WorkerOptions } from "../bootstrap-worker.js";

/** The app's services, created on first use and shared by later invocations. */
export function memoizeServices(services: WorkerOptions["services"]): () => Promise<Services> {
  // Services are created on the first invocation and shared by the next ones; a failed creation
  // fails that invocation and is tried again by the next.
  let pending: Promise<Services> | undefined;
  return () => {
    if (!pending) {
      pending = Promise.resolve(
        typeof services === "function"
          ? (services as () => Services | Promise<Services>)()
          : (services as Services),
      );
      pending.catch(() => {
        pending = undefined;
      });
    }
    return pending;
  };
}
