import { mkdtempSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { configSource, runGlasswork, writeConfig } from "./test-cli.js";

const queueUrl = "http://127.0.0.1:9/000000000000/jobs";
const empty = writeConfig(configSource({ default: queueUrl }));
const broken = writeConfig("export default defineConfig({ queues: { default: ");
const notAnObject = writeConfig("export default 42;");
const emptyFile = writeConfig("");
const noConfig = mkdtempSync(join(tmpdir(), "glasswork-cli-"));

describe("bad usage and input: one line on stderr, no stack trace, exit code 2", () => {
  it.each([
    [
      "an unknown command",
      ["stat"],
      empty,
      "glasswork: unknown command 'stat' (Did you mean stats?)",
    ],
    ["an unknown dlq command", ["dlq", "retry"], empty, "glasswork: unknown command 'retry'"],
    ["an unknown option", ["stats", "--watch"], empty, "glasswork: unknown option '--watch'"],
    [
      "a bad --reason",
      ["dlq", "list", "--reason", "oops"],
      empty,
      "glasswork: option '--reason <reason>' argument 'oops' is invalid. Allowed choices are malformed, invalid-envelope, invalid-payload, unknown-job, permanent, retry-exhausted, signature, max-receive-count.",
    ],
    [
      "a --queue-url without a name",
      ["--queue-url", queueUrl, "stats"],
      empty,
      `glasswork: --queue-url wants <name>=<url>, got "${queueUrl}"`,
    ],
    [
      "a queue URL that is not one",
      ["--queue-url", "default=jobs", "stats"],
      empty,
      'glasswork: queues.default must be a queue URL (https://sqs.<region>.amazonaws.com/<account>/<name>), got "jobs"',
    ],
    [
      "a config file that is not there",
      ["--config", "nope.config.ts", "stats"],
      empty,
      `glasswork: config file not found: ${join(empty, "nope.config.ts")}`,
    ],
    [
      "a config that does not compile",
      ["stats"],
      broken,
      `glasswork: could not load ${join(broken, "glasswork.config.ts")}:`,
    ],
    [
      "a config that exports no object",
      ["stats"],
      notAnObject,
      `glasswork: ${join(notAnObject, "glasswork.config.ts")} must export default defineConfig({ queues: { … } })`,
    ],
    [
      "an empty config file",
      ["stats"],
      emptyFile,
      `glasswork: ${join(emptyFile, "glasswork.config.ts")} must export default defineConfig({ queues: { … } })`,
    ],
    [
      "no config and no --queue-url",
      ["stats"],
      noConfig,
      "glasswork: no glasswork.config.ts found: create one, or pass --config <file> or --queue-url <name>=<url>",
    ],
    [
      "doctor without jobs",
      ["--queue-url", `default=${queueUrl}`, "doctor"],
      writeConfig("export default { queues: {} };"),
      "glasswork: doctor checks queues against their jobs: list them in the config",
    ],
  ])("%s", async (_what, args, cwd, line) => {
    const run = await runGlasswork(args, { cwd });
    expect(run.code).toBe(2);
    expect(run.stdout).toBe("");
    const lines = run.stderr.trimEnd().split("\n");
    expect(lines).toHaveLength(1);
    expect(lines[0]?.startsWith(line)).toBe(true);
    expect(run.stderr).not.toMatch(/\n\s+at /);
  });

  it("no command: the help on stderr, exit code 2", async () => {
    const run = await runGlasswork([], { cwd: empty });
    expect(run.code).toBe(2);
    expect(run.stderr).toContain("Usage: glasswork [options] [command]");
  });

  it("--help and --version: stdout, exit code 0", async () => {
    const help = await runGlasswork(["dlq", "--help"], { cwd: empty });
    expect(help.code).toBe(0);
    expect(help.stdout).toMatch(/redrive \[options\]\s+send dead letters back/);
    const version = await runGlasswork(["--version"], { cwd: empty });
    expect(version).toEqual({ code: 0, stdout: "0.0.0\n", stderr: "" });
  });
});

describe("AWS out of reach: one line, exit code 3", () => {
  it("names the queue, the operation and the endpoint problem", async () => {
    const run = await runGlasswork(["stats"], {
      cwd: empty,
      env: { AWS_ENDPOINT_URL_SQS: "http://127.0.0.1:9" },
    });
    expect(run.code).toBe(3);
    // queueStats reads the queue's attributes and depth at once: either may fail first.
    expect(run.stderr).toMatch(
      /^glasswork: (queueInfo|stats) on queue "default" failed: cannot reach the SQS endpoint \(connect ECONNREFUSED 127\.0\.0\.1:9\) — check the endpoint and region options and the network\n$/,
    );
  });
});
