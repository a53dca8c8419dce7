import { mkdtempSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { SendMessageCommand } from "@aws-sdk/client-sqs";
import { beforeAll, describe, expect, it } from "vitest";
import { useFauxqsTestServer } from "../../../../ops/src/test-fauxqs.js";
import { runGlasswork, writeEndpointConfig } from "../../test-cli.js";

const sqs = useFauxqsTestServer();
let cwd: string;
let queueUrl: string;
let plainUrl: string;
beforeAll(async () => {
  const { queue, deadLetter, plain } = await sqs.createQueueSet("stats");
  queueUrl = queue.url;
  plainUrl = plain.url;
  for (const body of ["a", "b", "c"])
    await sqs.client.send(new SendMessageCommand({ QueueUrl: queue.url, MessageBody: body }));
  await sqs.client.send(
    new SendMessageCommand({ QueueUrl: queue.url, MessageBody: "later", DelaySeconds: 600 }),
  );
  await sqs.client.send(new SendMessageCommand({ QueueUrl: deadLetter.url, MessageBody: "dead" }));
  cwd = writeEndpointConfig(sqs.endpoint, { default: queue.url, plain: plain.url });
});

describe("glasswork stats", () => {
  it("prints a table of every configured queue for people", async () => {
    const run = await runGlasswork(["stats"], { cwd });
    expect(run.stderr).toBe("");
    expect(run.code).toBe(0);
    const lines = run.stdout.split("\n");
    expect(lines[1]).toMatch(/queue\s+│ visible\s+│ in flight\s+│ delayed\s+│ dead letters/);
    expect(lines.find((l) => l.includes(" default "))).toMatch(
      /default\s+│ 3\s+│ 0\s+│ 1\s+│ 1\s+│ stats-dlq-/,
    );
    expect(lines.find((l) => l.includes(" plain "))).toMatch(
      /plain\s+│ 0\s+│ 0\s+│ 0\s+│ -\s+│ none/,
    );
  });

  it("prints only JSON with --json, for the queues asked", async () => {
    const run = await runGlasswork(["--json", "stats", "default"], { cwd });
    expect(run.code).toBe(0);
    const [report] = JSON.parse(run.stdout);
    expect(report).toMatchObject({
      queue: "default",
      fifo: false,
      stats: { visible: 3, inFlight: 0, delayed: 1 },
      deadLetters: { visible: 1, inFlight: 0, delayed: 0 },
      maxReceiveCount: 5,
    });
  });

  it("refuses an unknown queue in one line, exit code 2", async () => {
    const run = await runGlasswork(["stats", "nope"], { cwd });
    expect(run.code).toBe(2);
    expect(run.stdout).toBe("");
    expect(run.stderr).toBe('glasswork: unknown queue "nope" (configured: default, plain)\n');
  });

  it("needs no config file with --queue-url and --endpoint, and finds one through GLASSWORK_CONFIG", async () => {
    const elsewhere = mkdtempSync(join(tmpdir(), "glasswork-cli-"));
    const flags = await runGlasswork(
      ["--json", "--queue-url", `jobs=${queueUrl}`, "--endpoint", sqs.endpoint, "stats"],
      { cwd: elsewhere },
    );
    expect(flags.code).toBe(0);
    expect(JSON.parse(flags.stdout)).toMatchObject([{ queue: "jobs", stats: { visible: 3 } }]);

    const env = await runGlasswork(["--json", "stats", "plain"], {
      cwd: elsewhere,
      env: { GLASSWORK_CONFIG: join(cwd, "glasswork.config.ts") },
    });
    expect(env.code).toBe(0);
    expect(JSON.parse(env.stdout)).toMatchObject([{ queue: "plain", stats: { visible: 0 } }]);
  });

  it("keeps the SDK's console warnings out when a local queue URL is used without --endpoint", async () => {
    // A queue's URL on the server's own address, as ElasticMQ and LocalStack hand them out (one
    // without a dead-letter queue: finding that one by its ARN takes the endpoint).
    const local = `${sqs.endpoint}${new URL(plainUrl).pathname}`;
    const run = await runGlasswork(["--queue-url", `jobs=${local}`, "stats"], {
      cwd: mkdtempSync(join(tmpdir(), "glasswork-cli-")),
    });
    expect(run.code).toBe(0);
    expect(run.stderr).toBe("");
    expect(run.stdout).toMatch(/jobs\s+│ 0\s+│ 0\s+│ 0\s+│ -\s+│ none/);
  });
});
