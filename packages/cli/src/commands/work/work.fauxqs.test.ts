import { once } from "node:events";
import { existsSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { setTimeout as sleep } from "node:timers/promises";
import { JobService, silentLogger } from "@glasswork/core";
import { SQSQueueDriver } from "@glasswork/driver-sqs";
import { describe, expect, it } from "vitest";
import { useFauxqsTestServer } from "../../../../ops/src/test-fauxqs.js";
import { spawnGlasswork, writeEndpointConfig } from "../../test-cli.js";
import { alwaysFails, recordRun } from "../../test-jobs.js";

const sqs = useFauxqsTestServer();

async function waitFor(condition: () => boolean | Promise<boolean>, what: string): Promise<void> {
  for (let i = 0; i < 400; i++) {
    if (await condition()) return;
    await sleep(50);
  }
  throw new Error(`gave up waiting for ${what}`);
}

describe("glasswork work", () => {
  it.each(["SIGTERM", "SIGINT"] as const)(
    "runs the config's jobs, dead-letters what fails for good, and stops on %s with exit code 0",
    async (signal) => {
      const { queue, deadLetter } = await sqs.createQueueSet(`work-${signal.toLowerCase()}`);
      const cwd = writeEndpointConfig(sqs.endpoint, { default: queue.url });
      const file = join(cwd, "runs.txt");
      const driver = new SQSQueueDriver({ ...sqs.clientConfig, queues: { default: queue.url } });
      const jobs = new JobService(driver, { logger: silentLogger });
      await jobs.enqueueBatch([
        ...["one", "two", "three"].map((line) => ({ job: recordRun, payload: { file, line } })),
        { job: alwaysFails, payload: { key: "u_1" } },
      ]);
      await driver.dispose();

      const child = spawnGlasswork(["work", "--wait-time-seconds", "1"], { cwd });
      let stderr = "";
      let stdout = "";
      child.stderr?.on("data", (chunk: Buffer) => {
        stderr += chunk.toString("utf8");
      });
      child.stdout?.on("data", (chunk: Buffer) => {
        stdout += chunk.toString("utf8");
      });
      const exited = once(child, "exit");
      await waitFor(
        () => existsSync(file) && readFileSync(file, "utf8").split("\n").length === 4,
        "three runs",
      );
      await waitFor(async () => (await sqs.depth(deadLetter)).visible === 1, "the dead letter");
      await waitFor(async () => (await sqs.depth(queue)).inFlight === 0, "the deletes");
      child.kill(signal);
      const [code] = await exited;

      expect(code).toBe(0);
      expect(readFileSync(file, "utf8").split("\n").sort()).toEqual(["", "one", "three", "two"]);
      expect(await sqs.depth(queue)).toEqual({ visible: 0, inFlight: 0, delayed: 0 });
      expect(stderr).toBe(
        "glasswork: working default (4 jobs); Ctrl-C to stop\nglasswork: stopped\n",
      );
      // The worker's JSON log lines, with the job's name on each.
      const logs = stdout
        .trim()
        .split("\n")
        .map((line) => JSON.parse(line));
      expect(logs.some((l) => l.jobName === "always-fails")).toBe(true);
    },
  );
});
