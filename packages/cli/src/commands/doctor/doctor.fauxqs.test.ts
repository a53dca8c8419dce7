import { createServer, type IncomingMessage } from "node:http";
import type { AddressInfo } from "node:net";
import { describe, expect, it } from "vitest";
import {
  createHealthyQueue,
  createMisconfiguredDeployment,
  MISCONFIGURED_FINDINGS,
  useFauxqsTestServer,
} from "../../../../ops/src/test-fauxqs.js";
import { runGlasswork, writeConfig, writeEndpointConfig } from "../../test-cli.js";

const sqs = useFauxqsTestServer();

// The deliberately misconfigured deployment of @glasswork/ops' doctor test (the same queues),
// read by the CLI from a glasswork.config.ts.
async function misconfigured(): Promise<{ cwd: string; emailsUrl: string }> {
  const queues = await createMisconfiguredDeployment(sqs);
  const cwd = writeConfig(`import { defineJob } from "@glasswork/core";
import { defineConfig } from "@glasswork/cli";

export default defineConfig({
  endpoint: ${JSON.stringify(sqs.endpoint)},
  queues: ${JSON.stringify(queues)},
  jobs: [
    defineJob({ name: "send-email", queue: "emails", retry: { maxAttempts: 5 }, handler: () => {} }),
    defineJob({ name: "build-report", queue: "reports", handler: () => {} }),
    defineJob({ name: "ship-order", queue: "orders.fifo", retry: 3, handler: () => {} }),
  ],
  worker: {
    emails: { functionTimeoutSeconds: 30, reportBatchItemFailures: false },
    reports: { functionTimeoutSeconds: 3 },
  },
});
`);
  return { cwd, emailsUrl: queues.emails };
}

describe("glasswork doctor on a deliberately misconfigured fauxqs deployment", () => {
  it("prints each finding with its fix and exits 1; --json gives the same findings", async () => {
    const { cwd } = await misconfigured();
    const run = await runGlasswork(["doctor"], { cwd });
    console.log(`[cli] $ glasswork doctor\n${run.stdout}`);
    expect(run.code).toBe(1);
    expect(run.stderr).toBe("");

    const json = await runGlasswork(["--json", "doctor"], { cwd });
    expect(json.code).toBe(1);
    const { findings } = JSON.parse(json.stdout);
    expect(
      findings.map((f: { queue: string; check: string; severity: string }) => [
        f.queue,
        f.check,
        f.severity,
      ]),
    ).toEqual(MISCONFIGURED_FINDINGS);
    for (const f of findings) {
      expect(run.stdout).toContain(
        `${f.severity.padEnd(7)} ${f.queue}  ${f.check}\n  ${f.message}\n  fix: ${f.fix}`,
      );
    }
    const errors = findings.filter((f: { severity: string }) => f.severity === "error").length;
    expect(run.stdout).toContain(
      `${errors} error(s), 1 warning(s) on emails, reports, orders.fifo`,
    );
  });

  it("checks only the queues asked", async () => {
    const { cwd } = await misconfigured();
    const run = await runGlasswork(["--json", "doctor", "reports"], { cwd });
    expect(run.code).toBe(1);
    const { findings, queues } = JSON.parse(run.stdout);
    expect(queues).toEqual(["reports"]);
    expect(findings.map((f: { check: string }) => f.check)).toEqual([
      "dead-letter-queue",
      "deadline-margin",
    ]);
  });

  it("says so and exits 0 when the deployment matches its jobs", async () => {
    const queue = await createHealthyQueue(sqs);
    const cwd = writeEndpointConfig(
      sqs.endpoint,
      { default: queue.url },
      `worker: { functionTimeoutSeconds: 30, reportBatchItemFailures: true },`,
    );
    const run = await runGlasswork(["doctor"], { cwd });
    expect(run).toEqual({ code: 0, stdout: "no findings: default match their jobs\n", stderr: "" });
  });

  it("without worker facts says that their checks were skipped", async () => {
    const queue = await sqs.createQueue("no-worker");
    const cwd = writeEndpointConfig(sqs.endpoint, { default: queue.url });
    const run = await runGlasswork(["--json", "doctor"], { cwd });
    expect(run.code).toBe(1);
    expect(JSON.parse(run.stdout).findings.map((f: { check: string }) => f.check)).toEqual([
      "dead-letter-queue",
    ]);
    expect(run.stderr).toBe(
      "glasswork: the worker's timeout and event source mapping are unknown, so their checks are skipped: set worker in the config, or pass --function <name>\n",
    );
  });

  it("refuses an unknown queue in one line, exit code 2", async () => {
    const { cwd } = await misconfigured();
    const run = await runGlasswork(["doctor", "billing"], { cwd });
    expect(run.code).toBe(2);
    expect(run.stderr).toBe(
      'glasswork: unknown queue "billing" (configured: emails, reports, orders.fifo)\n',
    );
  });

  it("with --function reads the timeout and ReportBatchItemFailures from the Lambda API", async () => {
    const { cwd, emailsUrl } = await misconfigured();
    const emailsName = emailsUrl.slice(emailsUrl.lastIndexOf("/") + 1);
    // Lambda has no local server: this one answers the two REST calls with canned JSON.
    const requests: string[] = [];
    const lambda = createServer((request: IncomingMessage, response) => {
      requests.push(`${request.method} ${request.url}`);
      const body = request.url?.startsWith("/2015-03-31/functions/jobs-worker/configuration")
        ? { FunctionName: "jobs-worker", Timeout: 60 }
        : {
            EventSourceMappings: [
              {
                EventSourceArn: `arn:aws:sqs:us-east-1:000000000000:${emailsName}`,
                FunctionResponseTypes: ["ReportBatchItemFailures"],
              },
            ],
          };
      response.writeHead(200, { "content-type": "application/json" }).end(JSON.stringify(body));
    });
    await new Promise<void>((resolve) => lambda.listen(0, "127.0.0.1", resolve));
    const { port } = lambda.address() as AddressInfo;
    try {
      const run = await runGlasswork(["--json", "doctor", "emails", "--function", "jobs-worker"], {
        cwd,
        env: { AWS_ENDPOINT_URL_LAMBDA: `http://127.0.0.1:${port}` },
      });
      expect(run.stderr).toBe("");
      const { findings } = JSON.parse(run.stdout);
      const checks = findings.map((f: { check: string }) => f.check);
      // The config says false; Lambda says the mapping reports batch item failures: no finding.
      expect(checks).not.toContain("report-batch-item-failures");
      expect(checks).toContain("max-receive-count");
      expect(requests).toEqual([
        "GET /2015-03-31/functions/jobs-worker/configuration",
        "GET /2015-03-31/event-source-mappings?FunctionName=jobs-worker",
      ]);
      // The queue's 10 s visibility against Lambda's 60 s timeout, not the config's 30 s.
      const visibility = findings.find((f: { check: string }) => f.check === "visibility-timeout");
      expect(visibility?.fix).toBe("Set the queue's VisibilityTimeout to at least 360 s.");
    } finally {
      lambda.close();
    }
  });
});
