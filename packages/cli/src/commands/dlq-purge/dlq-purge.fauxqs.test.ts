import { describe, expect, it } from "vitest";
import type { TestQueue } from "../../../../driver-sqs/src/test-fauxqs.js";
import { useFauxqsTestServer } from "../../../../ops/src/test-fauxqs.js";
import { runGlasswork, runGlassworkOnTty, writeEndpointConfig } from "../../test-cli.js";
import { exhaustedEmail, missingUser, seedDeadLetters } from "../../test-dead-letters.js";

const sqs = useFauxqsTestServer();

async function setup(prefix: string): Promise<{ cwd: string; dlq: TestQueue }> {
  const { queue, deadLetter } = await sqs.createQueueSet(prefix);
  await seedDeadLetters(sqs, queue, [
    missingUser("u_1"),
    missingUser("u_2"),
    exhaustedEmail("SMTP 421"),
  ]);
  const cwd = writeEndpointConfig(sqs.endpoint, { default: queue.url });
  return { cwd, dlq: deadLetter };
}

describe("glasswork dlq purge and delete", () => {
  it("refuses without --yes when stdin is not a terminal: one line, exit code 2, nothing deleted", async () => {
    const { cwd, dlq } = await setup("purge-refused");
    const run = await runGlasswork(["dlq", "purge"], { cwd });
    expect(run.code).toBe(2);
    expect(run.stderr).toBe(
      'glasswork: Delete every dead letter of "default" for good? Refusing without --yes: stdin is not a terminal\n',
    );
    expect(await sqs.depth(dlq)).toMatchObject({ visible: 3 });
  });

  it("purges the matching dead letters with --yes", async () => {
    const { cwd, dlq } = await setup("purge-yes");
    const run = await runGlasswork(["--json", "dlq", "purge", "--reason", "permanent", "--yes"], {
      cwd,
    });
    expect(run.code).toBe(0);
    expect(JSON.parse(run.stdout)).toMatchObject({ deleted: 2 });
    expect(await sqs.depth(dlq)).toMatchObject({ visible: 1 });
  });

  it("asks on a terminal: a wrong answer deletes nothing (exit 1), the queue's name deletes", async () => {
    const { cwd, dlq } = await setup("purge-tty");
    const declined = await runGlassworkOnTty(["dlq", "purge"], { cwd, input: "yes\n" });
    expect(declined.terminal).toContain(
      'Delete every dead letter of "default" for good? Type "default" to confirm:',
    );
    expect(declined.terminal).toContain("glasswork: nothing deleted");
    expect(declined.code).toBe(1);
    expect(await sqs.depth(dlq)).toMatchObject({ visible: 3 });

    const confirmed = await runGlassworkOnTty(["dlq", "purge"], { cwd, input: "default\n" });
    expect(confirmed.code).toBe(0);
    expect(confirmed.terminal).toContain('deleted 3 dead letter(s) of "default"');
    expect(await sqs.depth(dlq)).toMatchObject({ visible: 0 });
  });

  it("deletes one dead letter by id, and exits 1 naming an id it did not find", async () => {
    const { cwd, dlq } = await setup("delete-one");
    const { letters } = JSON.parse(
      (await runGlasswork(["--json", "dlq", "list", "--job", "send-email"], { cwd })).stdout,
    );
    const id: string = letters[0].messageId;
    const run = await runGlasswork(["--json", "dlq", "delete", id, "--yes"], { cwd });
    expect(run.code).toBe(0);
    expect(JSON.parse(run.stdout)).toMatchObject({ deleted: 1, messageIds: [id], missing: [] });
    expect(await sqs.depth(dlq)).toMatchObject({ visible: 2 });

    const again = await runGlasswork(["dlq", "delete", id, "--yes"], { cwd });
    expect(again.code).toBe(1);
    expect(again.stdout).toBe(`deleted 0 dead letter(s) of "default"\nnot found: ${id}\n`);
  });
});
