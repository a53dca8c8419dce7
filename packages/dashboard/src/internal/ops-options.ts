import type { ReceiveWindowOptions, SourceOptions } from "@glasswork/ops";
import type { DashboardRuntime } from "./dashboard-env.js";

/** The options every dead-letter operation of `@glasswork/ops` gets from the dashboard's. */
export function opsOptions(rt: DashboardRuntime): SourceOptions & ReceiveWindowOptions {
  const { jobs, unknownSource, receiveWindow } = rt.options;
  return {
    ...receiveWindow,
    ...(jobs === undefined ? {} : { jobs }),
    ...(unknownSource === undefined ? {} : { unknownSource }),
  };
}
