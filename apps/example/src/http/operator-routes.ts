/** A route of the API, as Hono writes it. */
export interface Route {
  readonly method: "GET" | "POST";
  readonly path: string;
}

/**
 * The routes only operators may call: they show payloads and personal data, move dead letters,
 * or fan out a job per user. `template.yaml` puts each behind the IAM authorizer (a test checks).
 */
export const OPERATOR_ROUTES: readonly Route[] = [
  { method: "POST", path: "/newsletters/:id/send" },
  { method: "GET", path: "/outbox" },
  { method: "GET", path: "/jobs/stats" },
  { method: "GET", path: "/jobs/dead-letters" },
  { method: "POST", path: "/jobs/dead-letters/redrive" },
];
