import { afterAll, beforeAll, describe, expect, it } from "vitest";
import {
  type FauxqsTestServer,
  startFauxqsTestServer,
} from "../../../../driver-sqs/src/test-fauxqs.js";
import { configSource, runGlasswork, writeConfig } from "../../test-cli.js";
import { seedDeadLetters } from "../../test-dead-letters.js";
import { alwaysFails, sendEmail } from "../../test-jobs.js";

let sqs: FauxqsTestServer;
let cwd: string;
beforeAll(async () => {
  sqs = await startFauxqsTestServer();
  const { queue, plain } = await sqs.createQueueSet("dlq-list");
  await seedDeadLetters(sqs, queue, [
    {
      job: alwaysFails,
      payload: { key: "u_1" },
      reason: "permanent",
      error: "user u_1 does not exist",
    },
    {
      job: alwaysFails,
      payload: { key: "u_2" },
      reason: "permanent",
      error: "user u_2 does not exist",
    },
    {
      job: sendEmail,
      payload: { to: "a@example.com" },
      reason: "retry-exhausted",
      error: "SMTP 421 try later",
    },
  ]);
  cwd = writeConfig(
    configSource(
      { default: queue.url, plain: plain.url },
      `endpoint: ${JSON.stringify(sqs.endpoint)},`,
    ),
  );
});
afterAll(async () => {
  await sqs.stop();
});

describe("glasswork dlq list and show", () => {
  it("lists each dead letter once as JSON, and filters by job and reason", async () => {
    const all = await runGlasswork(["--json", "dlq", "list"], { cwd });
    expect(all.code).toBe(0);
    const listing = JSON.parse(all.stdout);
    expect(listing.truncated).toBe(false);
    expect(listing.letters.map((d: { jobName: string }) => d.jobName).sort()).toEqual([
      "always-fails",
      "always-fails",
      "send-email",
    ]);
    const byJob = JSON.parse(
      (await runGlasswork(["--json", "dlq", "list", "--job", "send-email"], { cwd })).stdout,
    );
    expect(byJob.letters.map((d: { error: string }) => d.error)).toEqual(["SMTP 421 try later"]);
    const byReason = JSON.parse(
      (await runGlasswork(["--json", "dlq", "list", "--reason", "permanent"], { cwd })).stdout,
    );
    expect(byReason.letters).toHaveLength(2);
  });

  it("groups by fingerprint in a table for people", async () => {
    const run = await runGlasswork(["dlq", "list", "--group"], { cwd });
    expect(run.code).toBe(0);
    expect(run.stdout).toMatch(/count\s+│ job\s+│ reason\s+│ error/);
    expect(run.stdout).toMatch(/│ 2\s+│ always-fails\s+│ permanent\s+│ user <id> does not exist/);
    expect(run.stdout).toMatch(/│ 1\s+│ send-email\s+│ retry-exhausted/);
  });

  it("shows one dead letter with its payload, and exits 1 for an id it does not find", async () => {
    const { letters } = JSON.parse(
      (await runGlasswork(["--json", "dlq", "list", "--job", "send-email"], { cwd })).stdout,
    );
    const shown = await runGlasswork(["dlq", "show", letters[0].messageId], { cwd });
    expect(shown.code).toBe(0);
    expect(shown.stdout).toContain("a@example.com");
    expect(shown.stdout).toMatch(/reason\s+│ retry-exhausted/);
    const missing = await runGlasswork(["dlq", "show", "no-such-id"], { cwd });
    expect(missing.code).toBe(1);
    expect(missing.stderr).toBe(
      'glasswork: no dead letter no-such-id in the dead-letter queue of "default"\n',
    );
  });

  it("says in one line, exit code 2, that a queue has no dead-letter queue", async () => {
    const run = await runGlasswork(["dlq", "list", "--queue", "plain"], { cwd });
    expect(run.code).toBe(2);
    expect(run.stderr.trim().split("\n")).toEqual([
      'glasswork: Queue "plain" has no dead-letter queue: configure one (a RedrivePolicy, or the driver\'s deadLetterQueues option)',
    ]);
  });
});
