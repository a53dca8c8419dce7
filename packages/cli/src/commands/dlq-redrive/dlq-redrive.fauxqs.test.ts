import { readFileSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import type { TestQueue } from "../../../../driver-sqs/src/test-fauxqs.js";
import { useFauxqsTestServer } from "../../../../ops/src/test-fauxqs.js";
import {
  configSource,
  runGlasswork,
  runGlassworkOnTty,
  writeConfig,
  writeEndpointConfig,
} from "../../test-cli.js";
import { exhaustedEmail, missingUser, seedDeadLetters } from "../../test-dead-letters.js";

const sqs = useFauxqsTestServer();

async function setup(
  prefix: string,
  failing: number,
): Promise<{ cwd: string; queue: TestQueue; dlq: TestQueue }> {
  const { queue, deadLetter } = await sqs.createQueueSet(prefix);
  await seedDeadLetters(sqs, queue, [
    ...Array.from({ length: failing }, (_, i) => missingUser(`u_${i}`)),
    exhaustedEmail("SMTP 421"),
  ]);
  const cwd = writeEndpointConfig(sqs.endpoint, { default: queue.url });
  return { cwd, queue, dlq: deadLetter };
}

describe("glasswork dlq redrive", () => {
  it("moves the matching dead letters back and reports it as JSON", async () => {
    const { cwd, queue, dlq } = await setup("redrive-json", 4);
    const run = await runGlasswork(
      ["--json", "dlq", "redrive", "--job", "always-fails", "--rate", "100"],
      { cwd },
    );
    expect(run.code).toBe(0);
    const result = JSON.parse(run.stdout);
    expect(result).toMatchObject({
      moved: 4,
      failed: 0,
      depthAtStart: 5,
      skipped: { filtered: 1 },
    });
    expect(run.stderr).toBe("");
    expect(await sqs.depth(queue)).toMatchObject({ visible: 4 });
    expect(await sqs.depth(dlq)).toMatchObject({ visible: 1 });
  });

  it("with --dry-run lists what would move and moves nothing", async () => {
    const { cwd, queue, dlq } = await setup("redrive-dry", 2);
    const run = await runGlasswork(["dlq", "redrive", "--dry-run"], { cwd });
    expect(run.code).toBe(0);
    expect(run.stdout).toContain(
      'would move 3 dead letters back to "default" (the dead-letter queue held 3 at the start)',
    );
    expect(run.stdout).toMatch(/│ always-fails\s+│ permanent/);
    expect(await sqs.depth(queue)).toMatchObject({ visible: 0 });
    expect(await sqs.depth(dlq)).toMatchObject({ visible: 3 });
  });

  it("draws a progress bar on stderr when it is a terminal, and none when it is not", async () => {
    const { cwd } = await setup("redrive-tty", 3);
    const stdoutFile = join(cwd, "stdout.json");
    const tty = await runGlassworkOnTty(["--json", "dlq", "redrive"], { cwd, stdoutFile });
    expect(tty.code).toBe(0);
    // The terminal shows stderr only: the bar, ending at 4/4.
    expect(tty.terminal).toMatch(/redriving \[[█░]+\] 4\/4 failed 0/);
    expect(JSON.parse(readFileSync(stdoutFile, "utf8"))).toMatchObject({ moved: 4 });

    const { cwd: cwd2 } = await setup("redrive-pipe", 3);
    const piped = await runGlasswork(["dlq", "redrive"], { cwd: cwd2 });
    expect(piped.code).toBe(0);
    expect(piped.stderr).toBe("");
    expect(piped.stdout).toMatch(
      /^moved 4 dead letters back to "default" in \d+\.\d s \(the dead-letter queue held 4 at the start\)\n$/,
    );
  });

  it("refuses a bad --rate in one line, exit code 2", async () => {
    const run = await runGlasswork(["dlq", "redrive", "--rate", "fast"], {
      cwd: writeConfig(configSource({})),
    });
    expect(run.code).toBe(2);
    expect(run.stderr).toBe(
      "glasswork: option '--rate <n>' argument 'fast' is invalid. expected a positive number, got \"fast\"\n",
    );
  });
});
