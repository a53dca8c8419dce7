// Test-only helpers (excluded from the build and the published package): a real
// `SchedulerClient` whose HTTP handler records each serialized request and answers from a
// small in-memory model of the service, since EventBridge Scheduler has no local server.
import { SchedulerClient, type Target } from "@aws-sdk/client-scheduler";

/** One HTTP request as the client serialized it. */
export interface CapturedRequest {
  /** Derived from the method and path: `"CreateSchedule"`, `"GetSchedule"`, `"DeleteSchedule"`. */
  readonly operation: string;
  readonly method: string;
  readonly path: string;
  readonly query: Readonly<Record<string, unknown>>;
  /** The JSON body, parsed; `undefined` when there is none. */
  readonly body: Record<string, unknown> | undefined;
}

/** A schedule as the fake service stores it (the CreateSchedule body plus its name). */
export interface StoredSchedule {
  readonly Name: string;
  readonly GroupName: string;
  readonly ScheduleExpression: string;
  readonly Target: Target;
  readonly [key: string]: unknown;
}

/** An error the fake answers with instead of serving the request. */
export interface InjectedError {
  readonly status: number;
  /** The error's shape name, e.g. `"ThrottlingException"`. */
  readonly type: string;
}

/** The client and what the fake service saw and holds. */
export interface FakeScheduler {
  readonly client: SchedulerClient;
  readonly requests: CapturedRequest[];
  /** Schedules by group and name (`"group/name"`). */
  readonly schedules: Map<string, StoredSchedule>;
  /**
   * Answers the next requests of `operation` with `error`, `times` times (default 1). Each
   * answered request is still recorded.
   */
  fail(operation: string, error: InjectedError, times?: number): void;
  /** Called before each request is answered, e.g. to count requests in flight. */
  onRequest?: (request: CapturedRequest) => Promise<void> | void;
  /**
   * What the service does at the schedule's time: returns its target and, as
   * `ActionAfterCompletion: DELETE` says, removes the schedule.
   */
  fire(name: string, groupName: string): Target;
}

const REGION = "us-east-1";
const ACCOUNT = "123456789012";

/**
 * A `SchedulerClient` (SDK retries off, so every attempt shows) talking to an in-memory fake.
 *
 * @example
 * const fake = fakeScheduler();
 * const scheduler = eventBridgeScheduler({ client: fake.client, groupName: "jobs", roleArn, queueArns });
 */
export function fakeScheduler(): FakeScheduler {
  const requests: CapturedRequest[] = [];
  const schedules = new Map<string, StoredSchedule>();
  const failures: { operation: string; error: InjectedError; times: number }[] = [];

  const answer = (request: CapturedRequest): { status: number; body: unknown; type?: string } => {
    const injected = failures.find((f) => f.operation === request.operation && f.times > 0);
    if (injected) {
      injected.times--;
      return {
        status: injected.error.status,
        type: injected.error.type,
        body: { Message: "injected" },
      };
    }
    const name = decodeURIComponent(request.path.slice("/schedules/".length));
    const group = String(request.body?.GroupName ?? request.query.groupName ?? "default");
    const key = `${group}/${name}`;
    const arn = `arn:aws:scheduler:${REGION}:${ACCOUNT}:schedule/${group}/${name}`;
    const notFound = {
      status: 404,
      type: "ResourceNotFoundException",
      body: { Message: `Schedule ${name} does not exist.` },
    };
    switch (request.operation) {
      case "CreateSchedule":
        if (schedules.has(key)) {
          return {
            status: 409,
            type: "ConflictException",
            body: { Message: `Schedule ${name} already exists.` },
          };
        }
        schedules.set(key, {
          ...(request.body as object),
          Name: name,
          GroupName: group,
        } as StoredSchedule);
        return { status: 200, body: { ScheduleArn: arn } };
      case "GetSchedule": {
        const schedule = schedules.get(key);
        return schedule
          ? { status: 200, body: { ...schedule, Arn: arn, State: "ENABLED" } }
          : notFound;
      }
      case "DeleteSchedule":
        return schedules.delete(key) ? { status: 200, body: {} } : notFound;
      default:
        return {
          status: 400,
          type: "ValidationException",
          body: { Message: "unsupported by the fake" },
        };
    }
  };

  const requestHandler = {
    async handle(request: {
      method: string;
      path: string;
      query?: Record<string, unknown>;
      body?: unknown;
    }) {
      const text = bodyText(request.body);
      const captured: CapturedRequest = {
        operation: operationOf(request.method, request.path),
        method: request.method,
        path: request.path,
        query: { ...request.query },
        body: text ? (JSON.parse(text) as Record<string, unknown>) : undefined,
      };
      requests.push(captured);
      await fake.onRequest?.(captured);
      const { status, body, type } = answer(captured);
      return {
        response: {
          statusCode: status,
          headers: {
            "content-type": "application/json",
            ...(type !== undefined && { "x-amzn-errortype": type }),
          },
          body: Buffer.from(JSON.stringify(body)),
        },
      };
    },
  };

  const fake: FakeScheduler = {
    client: new SchedulerClient({
      region: REGION,
      credentials: { accessKeyId: "test", secretAccessKey: "test" },
      maxAttempts: 1,
      requestHandler,
    }),
    requests,
    schedules,
    fail(operation, error, times = 1) {
      failures.push({ operation, error, times });
    },
    fire(name, groupName) {
      const key = `${groupName}/${name}`;
      const schedule = schedules.get(key);
      if (!schedule) throw new Error(`no schedule ${key} to fire`);
      schedules.delete(key);
      return schedule.Target;
    },
  };
  return fake;
}

function operationOf(method: string, path: string): string {
  if (!path.startsWith("/schedules/")) return `${method} ${path}`;
  if (method === "POST") return "CreateSchedule";
  if (method === "GET") return "GetSchedule";
  if (method === "DELETE") return "DeleteSchedule";
  return `${method} ${path}`;
}

function bodyText(body: unknown): string | undefined {
  if (typeof body === "string") return body.length > 0 ? body : undefined;
  if (body instanceof Uint8Array)
    return body.length > 0 ? Buffer.from(body).toString("utf8") : undefined;
  if (body === undefined || body === null) return undefined;
  throw new Error(
    `unexpected request body of type ${typeof body}: ${Object.prototype.toString.call(body)}`,
  );
}
