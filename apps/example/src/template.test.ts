import { readFileSync } from "node:fs";
import { describe, expect, it } from "vitest";
import { OPERATOR_ROUTES } from "./http/operator-routes.js";
import { allJobs } from "./jobs/index.js";
import { APP_TABLE } from "./store/app-table.js";
import { readTemplate, type YamlValue } from "./test-read-template.js";

const template = readFileSync(new URL("../template.yaml", import.meta.url), "utf8");

/** The HTTP API events of the API function: name → the fields SAM reads. */
function apiEvents(): Map<string, Record<string, string>> {
  const lines = template.split("\n");
  const start = lines.indexOf("  ApiFunction:");
  const eventsAt = lines.indexOf("      Events:", start);
  const events = new Map<string, Record<string, string>>();
  let current: Record<string, string> | undefined;
  for (const line of lines.slice(eventsAt + 1)) {
    if (/^ {0,6}\S/.test(line)) break; // the end of the Events map
    const event = /^ {8}(\w+):/.exec(line);
    if (event?.[1]) {
      current = {};
      events.set(event[1], current);
      continue;
    }
    const field = /^ {10,}(\w+): *(.*?)\s*(#.*)?$/.exec(line);
    if (current && field?.[1] && field[2]) current[field[1]] = field[2];
  }
  return events;
}

describe("template.yaml", () => {
  it("puts every operator route of the API behind the HTTP API's IAM authorizer", () => {
    expect(template).toMatch(
      /HttpApi:\n\s+Type: AWS::Serverless::HttpApi\n\s+Properties:\n\s+Auth:\n\s+EnableIamAuthorizer: true/,
    );
    const events = [...apiEvents().values()];
    for (const route of OPERATOR_ROUTES) {
      const path = route.path.replace(/:(\w+)/g, "{$1}");
      const event = events.find((e) => e.Method === route.method && e.Path === path);
      expect(event, `${route.method} ${path}`).toMatchObject({
        Type: "HttpApi",
        ApiId: "!Ref HttpApi",
        Authorizer: "AWS_IAM",
      });
    }
  });

  it("leaves only the catch-all route without an authorizer, and no route on another API", () => {
    const events = [...apiEvents().entries()];
    const open = events.filter(([, e]) => e.Authorizer === undefined).map(([name]) => name);
    expect(open).toEqual(["Http"]);
    expect(events.find(([name]) => name === "Http")?.[1].Path).toBeUndefined();
    for (const [, event] of events) expect(event.ApiId).toBe("!Ref HttpApi");
    expect(events).toHaveLength(OPERATOR_ROUTES.length + 1);
  });
});

type Resource = { Type: string; Properties: Record<string, YamlValue> };
const parsed = readTemplate();
const resources = parsed.Resources as Record<string, Resource>;
const functions = Object.entries(resources).filter(
  ([, r]) => r.Type === "AWS::Serverless::Function",
);
const globals = (parsed.Globals as { Function: Record<string, YamlValue> }).Function;

describe("template.yaml against the code", () => {
  it("runs every function on nodejs24.x", () => {
    expect(functions.map(([name]) => name).sort()).toEqual(["ApiFunction", "WorkerFunction"]);
    expect(globals.Runtime).toBe("nodejs24.x");
    for (const [name, fn] of functions) {
      expect({ name, runtime: fn.Properties.Runtime ?? globals.Runtime }).toEqual({
        name,
        runtime: "nodejs24.x",
      });
    }
  });

  it("reports partial batch failures on every SQS event", () => {
    const sqsEvents = functions.flatMap(([, fn]) =>
      Object.values((fn.Properties.Events ?? {}) as Record<string, Resource>).filter(
        (e) => e.Type === "SQS",
      ),
    );
    expect(sqsEvents.length).toBeGreaterThan(0);
    for (const event of sqsEvents) {
      expect(event.Properties.FunctionResponseTypes).toEqual(["ReportBatchItemFailures"]);
    }
  });

  it("lets every job use all its attempts before SQS's redrive moves it (maxReceiveCount ≥ maxAttempts)", () => {
    const redrive = resources.JobsQueue?.Properties.RedrivePolicy as Record<string, string>;
    expect(redrive.deadLetterTargetArn).toBe("!GetAtt JobsDeadLetterQueue.Arn");
    // Periodic jobs come from EventBridge (whose RetryPolicy retries them), not from the queue.
    const queued = allJobs.flatMap((job) => ("retry" in job ? [job] : []));
    expect(queued.map((job) => job.name)).toHaveLength(allJobs.length - 1);
    const most = Math.max(...queued.map((job) => job.retry.maxAttempts));
    expect(most).toBe(25);
    expect(Number(redrive.maxReceiveCount)).toBeGreaterThanOrEqual(most);
  });

  it("sets the queue's visibility timeout to at least 6x the worker's timeout", () => {
    const worker = resources.WorkerFunction?.Properties;
    const events = worker?.Events as Record<string, Resource>;
    expect(events.Jobs?.Properties.Queue).toBe("!GetAtt JobsQueue.Arn");
    const timeout = Number(worker?.Timeout ?? globals.Timeout ?? 3);
    expect(Number(resources.JobsQueue?.Properties.VisibilityTimeout)).toBeGreaterThanOrEqual(
      6 * timeout,
    );
  });

  it("declares the table the code uses (keys, index) and hands both functions the table and the bucket", () => {
    const table = resources.AppTable?.Properties as Record<string, YamlValue>;
    expect(resources.AppTable?.Type).toBe("AWS::DynamoDB::Table");
    expect(table.KeySchema).toEqual(APP_TABLE.keys);
    expect(table.AttributeDefinitions).toEqual(APP_TABLE.attributes);
    expect(table.GlobalSecondaryIndexes).toEqual([APP_TABLE.index]);
    expect(resources.ImagesBucket?.Type).toBe("AWS::S3::Bucket");
    const env = (globals.Environment as { Variables: Record<string, string> }).Variables;
    expect(env).toMatchObject({ APP_TABLE: "!Ref AppTable", IMAGES_BUCKET: "!Ref ImagesBucket" });
    // Each Lambda instance has its own /tmp: no data may live there.
    expect(env.DATA_DIR).toBeUndefined();
    for (const [, fn] of functions) {
      const own =
        (fn.Properties.Environment as { Variables?: Record<string, string> } | undefined)
          ?.Variables ?? {};
      expect(own.APP_TABLE ?? env.APP_TABLE).toBe("!Ref AppTable");
      expect(own.IMAGES_BUCKET ?? env.IMAGES_BUCKET).toBe("!Ref ImagesBucket");
    }
  });
});
