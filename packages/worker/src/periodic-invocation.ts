/** The event EventBridge Scheduler (or a rule with a constant input) sends to run a periodic job. */
export interface PeriodicInvocation {
  jobName: string;
  payload?: unknown;
  /** An id that stays the same when the scheduler retries (a rule event's `id`), if any. */
  id?: string;
}

/** An EventBridge rule event whose `detail` names the periodic job. */
export interface PeriodicDetailEvent {
  id?: string;
  "detail-type"?: string;
  source?: string;
  time?: string;
  detail: PeriodicInvocation;
}

/** Reads a periodic job invocation from an event, or `undefined` when it is not one. */
export function readPeriodicInvocation(event: unknown): PeriodicInvocation | undefined {
  if (typeof event !== "object" || event === null || "Records" in event) return undefined;
  const direct = event as Partial<PeriodicInvocation>;
  if (typeof direct.jobName === "string")
    return { jobName: direct.jobName, payload: direct.payload };
  const detail = (event as Partial<PeriodicDetailEvent>).detail;
  if (typeof detail === "object" && detail !== null && typeof detail.jobName === "string") {
    const id = (event as Partial<PeriodicDetailEvent>).id;
    return {
      jobName: detail.jobName,
      payload: detail.payload,
      ...(typeof id === "string" && { id }),
    };
  }
  return undefined;
}
