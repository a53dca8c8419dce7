import { LambdaClient } from "@aws-sdk/client-lambda";
import { describe, expect, it } from "vitest";
import { readLambdaWorkerFacts } from "./lambda-worker-facts.js";

interface Call {
  readonly name: string;
  readonly input: Record<string, unknown>;
}

// Answers each command with a canned response at the SDK boundary (the initialize step), so
// the requests the code builds and the responses it reads are the real SDK shapes.
function cannedLambda(responses: Record<string, (input: Record<string, unknown>) => object>) {
  const client = new LambdaClient({
    region: "eu-west-1",
    credentials: { accessKeyId: "test", secretAccessKey: "test" },
  });
  const calls: Call[] = [];
  client.middlewareStack.add(
    (_next, context) => async (args) => {
      const name = String(context.commandName).replace(/Command$/, "");
      const input = args.input as Record<string, unknown>;
      calls.push({ name, input });
      const respond = responses[name];
      if (!respond) throw new Error(`unexpected ${name}`);
      return { output: { $metadata: {}, ...respond(input) }, response: {} };
    },
    { step: "initialize", name: "cannedLambda", priority: "high" },
  );
  return { client, calls };
}

const arn = (name: string) => `arn:aws:sqs:eu-west-1:123456789012:${name}`;

describe("readLambdaWorkerFacts", () => {
  it("reads the timeout and each queue's mapping across pages of event source mappings", async () => {
    const { client, calls } = cannedLambda({
      GetFunctionConfiguration: () => ({ FunctionName: "jobs-worker", Timeout: 3 }),
      ListEventSourceMappings: (input) =>
        input.Marker === undefined
          ? {
              EventSourceMappings: [
                { EventSourceArn: arn("app-emails"), FunctionResponseTypes: [] },
              ],
              NextMarker: "page-2",
            }
          : {
              EventSourceMappings: [
                {
                  EventSourceArn: arn("app-jobs"),
                  FunctionResponseTypes: ["ReportBatchItemFailures"],
                },
              ],
            },
    });
    const facts = await readLambdaWorkerFacts(
      client,
      "jobs-worker",
      [
        { queue: "default", physicalName: "app-jobs" },
        { queue: "emails", physicalName: "app-emails" },
        { queue: "reports", physicalName: "app-reports" },
      ],
      1_000,
    );
    expect(facts).toEqual({
      default: {
        functionTimeoutSeconds: 3,
        deadlineMarginMs: 1_000,
        reportBatchItemFailures: true,
      },
      emails: {
        functionTimeoutSeconds: 3,
        deadlineMarginMs: 1_000,
        reportBatchItemFailures: false,
      },
      // No mapping from this queue to the function: nothing to say about batch item failures.
      reports: { functionTimeoutSeconds: 3, deadlineMarginMs: 1_000 },
    });
    expect(calls).toEqual([
      { name: "GetFunctionConfiguration", input: { FunctionName: "jobs-worker" } },
      { name: "ListEventSourceMappings", input: { FunctionName: "jobs-worker" } },
      { name: "ListEventSourceMappings", input: { FunctionName: "jobs-worker", Marker: "page-2" } },
    ]);
    client.destroy();
  });

  it("lets the Lambda API's error through (the CLI reports it in one line, exit code 3)", async () => {
    const { client } = cannedLambda({
      GetFunctionConfiguration: () => {
        throw Object.assign(new Error("Function not found: jobs-wroker"), {
          name: "ResourceNotFoundException",
          $metadata: { httpStatusCode: 404 },
        });
      },
    });
    await expect(readLambdaWorkerFacts(client, "jobs-wroker", [])).rejects.toMatchObject({
      name: "ResourceNotFoundException",
    });
    client.destroy();
  });
});
