import { ReceiveMessageCommand } from "@aws-sdk/client-sqs";
import { decodeEnvelope } from "@glasswork/core";
import { beforeAll, describe, expect, it } from "vitest";
import type { TestQueue } from "../../../../driver-sqs/src/test-fauxqs.js";
import { useFauxqsTestServer } from "../../../../ops/src/test-fauxqs.js";
import { runGlasswork, writeEndpointConfig } from "../../test-cli.js";

const sqs = useFauxqsTestServer();
let queue: TestQueue;
let cwd: string;
beforeAll(async () => {
  ({ queue } = await sqs.createQueueSet("enqueue"));
  cwd = writeEndpointConfig(sqs.endpoint, { default: queue.url });
});

describe("glasswork enqueue", () => {
  it("sends a valid payload as an envelope and prints the ids as JSON", async () => {
    const run = await runGlasswork(
      ["--json", "enqueue", "send-email", '{"to":"ada@example.com"}', "--id", "welcome-ada"],
      { cwd },
    );
    expect(run.code).toBe(0);
    expect(JSON.parse(run.stdout)).toMatchObject({
      jobId: "welcome-ada",
      jobName: "send-email",
      queue: "default",
      delaySeconds: 0,
    });
    const { Messages = [] } = await sqs.client.send(
      new ReceiveMessageCommand({ QueueUrl: queue.url, WaitTimeSeconds: 1, VisibilityTimeout: 0 }),
    );
    const decoded = decodeEnvelope(Messages[0]?.Body ?? "");
    expect(decoded.ok && decoded.envelope).toMatchObject({
      id: "welcome-ada",
      name: "send-email",
      payload: { to: "ada@example.com" },
    });
  });

  it("delays with --delay and says so for people", async () => {
    const run = await runGlasswork(
      ["enqueue", "send-email", '{"to":"bob@example.com"}', "--delay", "2m"],
      { cwd },
    );
    expect(run.code).toBe(0);
    expect(run.stdout).toMatch(
      /^enqueued send-email on "default": job id [0-9a-f-]{36}, message id \S+, in 120 s\n$/,
    );
    expect(await sqs.depth(queue)).toMatchObject({ delayed: 1 });
  });

  it.each([
    [["enqueue", "send-email", '{"to":'], /^glasswork: the payload is not valid JSON: .+\n$/],
    [
      ["enqueue", "send-email", '{"to":"not an address"}'],
      /^glasswork: Invalid payload for job "send-email": to: Invalid email: Received \[redacted\]\n$/,
    ],
    [
      ["enqueue", "send-emails", "{}"],
      /^glasswork: unknown job "send-emails" \(known: send-email, record-run, always-fails\)\n$/,
    ],
    [
      ["enqueue", "nightly-report", "{}"],
      /^glasswork: job "nightly-report" is periodic: it runs on its schedule\n$/,
    ],
    [
      ["enqueue", "send-email", "{}", "--delay", "soon"],
      /^glasswork: option '--delay <duration>' argument 'soon' is invalid\. expected a duration such as 30s, 10m, 2h or 1d, got "soon"\n$/,
    ],
    [["enqueue", "send-email"], /^glasswork: missing required argument 'json'\n$/],
  ])("refuses %j in one line, exit code 2, sending nothing", async (args, line) => {
    const before = await sqs.depth(queue);
    const run = await runGlasswork(args, { cwd });
    expect(run.stderr).toMatch(line);
    expect(run.code).toBe(2);
    expect(run.stdout).toBe("");
    expect(await sqs.depth(queue)).toEqual(before);
  });
});
