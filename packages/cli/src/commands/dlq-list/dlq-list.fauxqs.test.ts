import { beforeAll, describe, expect, it } from "vitest";
import { useFauxqsTestServer } from "../../../../ops/src/test-fauxqs.js";
import { runGlasswork, writeEndpointConfig } from "../../test-cli.js";
import { exhaustedEmail, missingUser, seedDeadLetters } from "../../test-dead-letters.js";

const sqs = useFauxqsTestServer();
let cwd: string;
beforeAll(async () => {
  const { queue, plain } = await sqs.createQueueSet("dlq-list");
  await seedDeadLetters(sqs, queue, [
    missingUser("u_1"),
    missingUser("u_2"),
    exhaustedEmail("SMTP 421 try later"),
  ]);
  cwd = writeEndpointConfig(sqs.endpoint, { default: queue.url, plain: plain.url });
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
