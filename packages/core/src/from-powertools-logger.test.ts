import { Logger as PowertoolsLogger } from "@aws-lambda-powertools/logger";
import { afterEach, describe, expect, it, vi } from "vitest";
import { fromPowertoolsLogger } from "./from-powertools-logger.js";
import type { Logger } from "./logger.js";

// Powertools writes through its own Console on process.stdout/stderr: capture the lines there.
function captureLines(): () => Record<string, unknown>[] {
  const chunks: string[] = [];
  for (const stream of [process.stdout, process.stderr]) {
    vi.spyOn(stream, "write").mockImplementation((chunk: string | Uint8Array) => {
      chunks.push(String(chunk));
      return true;
    });
  }
  return () =>
    chunks
      .join("")
      .split("\n")
      .filter((line) => line.startsWith("{"))
      .map((line) => JSON.parse(line) as Record<string, unknown>);
}

describe("fromPowertoolsLogger", () => {
  afterEach(() => {
    vi.restoreAllMocks();
  });

  it("is accepted where Glasswork wants a Logger and writes pino-shaped calls as Powertools lines", () => {
    const lines = captureLines();
    const logger: Logger = fromPowertoolsLogger(
      new PowertoolsLogger({ serviceName: "worker", logLevel: "DEBUG" }),
    );
    logger.info({ queue: "default" }, "job started");
    logger.warn({ attempt: 2 }, "retrying");

    const [started, retrying] = lines();
    expect(started).toMatchObject({
      level: "INFO",
      message: "job started",
      service: "worker",
      queue: "default",
    });
    expect(retrying).toMatchObject({ level: "WARN", message: "retrying", attempt: 2 });
  });

  it("keeps the bindings of every child on each line, as the worker's job loggers need", () => {
    const lines = captureLines();
    const root = fromPowertoolsLogger(new PowertoolsLogger({ serviceName: "worker" }));
    const job = root.child({ jobId: "j-1", jobName: "send-email" }).child({ attempt: 3 });
    job.info({ tookMs: 12 }, "job completed");
    root.info({}, "root line");

    const [completed, rootLine] = lines();
    expect(completed).toMatchObject({
      message: "job completed",
      jobId: "j-1",
      jobName: "send-email",
      attempt: 3,
      tookMs: 12,
    });
    expect(rootLine).not.toHaveProperty("jobId");
  });

  it("serialises errors passed under a key, as the worker logs failures", () => {
    const lines = captureLines();
    const logger = fromPowertoolsLogger(new PowertoolsLogger({ serviceName: "worker" }));
    logger.error({ err: new TypeError("boom") }, "job failed");

    const [failed] = lines();
    expect(failed).toMatchObject({
      level: "ERROR",
      message: "job failed",
      err: { name: "TypeError", message: "boom" },
    });
  });
});
