import { afterEach, describe, expect, it, vi } from "vitest";
import { PermanentJobError } from "./errors.js";
import { createJsonLogger, type LogLevel, silentLogger } from "./logger.js";

function capture(options: Parameters<typeof createJsonLogger>[0] = {}) {
  const lines: string[] = [];
  const logger = createJsonLogger({ ...options, write: (line) => lines.push(line) });
  const parsed = () => lines.map((line) => JSON.parse(line) as Record<string, unknown>);
  return { logger, lines, parsed };
}

afterEach(() => {
  vi.restoreAllMocks();
});

describe("createJsonLogger", () => {
  it("writes one JSON line with level, time, msg and the fields", () => {
    vi.spyOn(Date, "now").mockReturnValue(1_700_000_000_000);
    const { logger, lines, parsed } = capture();
    logger.info({ jobId: "42", n: 1 }, "job started");
    expect(lines).toHaveLength(1);
    expect(lines[0]).not.toContain("\n");
    expect(parsed()).toEqual([
      { level: "info", time: 1_700_000_000_000, jobId: "42", n: 1, msg: "job started" },
    ]);
  });

  it("omits msg when there is none", () => {
    const { logger, parsed } = capture();
    logger.warn({ a: 1 });
    expect(parsed()[0]).not.toHaveProperty("msg");
    expect(parsed()[0]).toMatchObject({ level: "warn", a: 1 });
  });

  it("adds the bindings to every line; the call's fields win", () => {
    const { logger, parsed } = capture({ bindings: { service: "worker", region: "eu" } });
    logger.info({ region: "us" }, "a");
    logger.error({}, "b");
    expect(parsed()).toMatchObject([
      { service: "worker", region: "us", msg: "a" },
      { service: "worker", region: "eu", msg: "b", level: "error" },
    ]);
  });

  it("child() adds bindings without changing the parent", () => {
    const { logger, parsed } = capture({ bindings: { service: "worker" } });
    const child = logger.child({ jobId: "j1", jobName: "send" });
    const grandchild = child.child({ attempt: 2, jobId: "j2" });
    child.info({}, "child");
    grandchild.info({}, "grandchild");
    logger.info({}, "parent");
    const [c, g, p] = parsed();
    expect(c).toMatchObject({ service: "worker", jobId: "j1", jobName: "send", msg: "child" });
    expect(g).toMatchObject({ service: "worker", jobId: "j2", jobName: "send", attempt: 2 });
    expect(p).toEqual(expect.objectContaining({ service: "worker", msg: "parent" }));
    expect(p).not.toHaveProperty("jobId");
  });

  it.each<[LogLevel, LogLevel[]]>([
    ["debug", ["debug", "info", "warn", "error"]],
    ["info", ["info", "warn", "error"]],
    ["warn", ["warn", "error"]],
    ["error", ["error"]],
  ])("at level %s writes only %j", (level, written) => {
    const { logger, parsed } = capture({ level });
    logger.debug({}, "d");
    logger.info({}, "i");
    logger.warn({}, "w");
    logger.error({}, "e");
    expect(parsed().map((line) => line.level)).toEqual(written);
    // isLevelEnabled says the same, in the logger and in its children.
    const levels: LogLevel[] = ["debug", "info", "warn", "error"];
    expect(levels.filter((l) => logger.isLevelEnabled?.(l))).toEqual(written);
    expect(levels.filter((l) => logger.child({ a: 1 }).isLevelEnabled?.(l))).toEqual(written);
  });

  it("defaults to level info", () => {
    const { logger, lines } = capture();
    logger.debug({}, "hidden");
    expect(lines).toEqual([]);
  });

  it("keeps the level threshold in children", () => {
    const { logger, lines } = capture({ level: "warn" });
    logger.child({ a: 1 }).info({}, "hidden");
    expect(lines).toEqual([]);
  });

  it("serialises errors with type, message, stack, code and a cause chain", () => {
    const root = new Error("socket hang up");
    const error = new PermanentJobError("user gone", { cause: root });
    const { logger, parsed } = capture();
    logger.error({ err: error, other: new TypeError("t") }, "failed");
    const [line] = parsed();
    expect(line?.err).toEqual({
      type: "PermanentJobError",
      message: "user gone",
      stack: error.stack,
      code: "PERMANENT",
      cause: { type: "Error", message: "socket hang up", stack: root.stack },
    });
    expect(line?.other).toMatchObject({ type: "TypeError", message: "t" });
    expect(line?.other).not.toHaveProperty("code");
    expect(line?.other).not.toHaveProperty("cause");
  });

  it("writes a non-Error cause as it is", () => {
    const { logger, parsed } = capture();
    logger.error({ err: new Error("x", { cause: { status: 503 } }) });
    expect(parsed()[0]?.err).toMatchObject({ cause: { status: 503 } });
  });

  it("does not throw on a cause chain that loops", () => {
    const a = new Error("a");
    const b = new Error("b", { cause: a });
    a.cause = b;
    const { logger, parsed } = capture();
    expect(() => logger.error({ err: a })).not.toThrow();
    expect(parsed()[0]?.err).toMatchObject({
      message: "a",
      cause: { message: "b", cause: "[Circular]" },
    });
  });

  it("does not throw on cycles and writes them as [Circular]", () => {
    const cyclic: Record<string, unknown> = { name: "root" };
    cyclic.self = cyclic;
    const { logger, parsed } = capture();
    expect(() => logger.info({ cyclic })).not.toThrow();
    expect(parsed()[0]?.cyclic).toEqual({ name: "root", self: "[Circular]" });
  });

  it("writes an object referenced twice (not a cycle) in full both times", () => {
    const shared = { id: 1 };
    const { logger, parsed } = capture();
    logger.info({ a: shared, b: shared, list: [shared, shared] });
    expect(parsed()[0]).toMatchObject({ a: { id: 1 }, b: { id: 1 }, list: [{ id: 1 }, { id: 1 }] });
  });

  it("does not throw on BigInts and writes them as strings", () => {
    const { logger, parsed } = capture();
    expect(() => logger.info({ big: 12345678901234567890n, nested: { n: 1n } })).not.toThrow();
    expect(parsed()[0]).toMatchObject({ big: "12345678901234567890", nested: { n: "1" } });
  });

  it("writes to console.log by default", () => {
    const log = vi.spyOn(console, "log").mockImplementation(() => {});
    createJsonLogger().info({ a: 1 }, "to the console");
    expect(log).toHaveBeenCalledTimes(1);
    expect(JSON.parse(String(log.mock.calls[0]?.[0]))).toMatchObject({
      level: "info",
      a: 1,
      msg: "to the console",
    });
  });
});

describe("silentLogger", () => {
  it("writes nothing and its children are silent", () => {
    const log = vi.spyOn(console, "log").mockImplementation(() => {});
    const error = vi.spyOn(console, "error").mockImplementation(() => {});
    silentLogger.debug({ a: 1 }, "x");
    silentLogger.info({ a: 1 }, "x");
    silentLogger.warn({ a: 1 }, "x");
    silentLogger.error({ a: 1 }, "x");
    expect(silentLogger.child({ a: 1 })).toBe(silentLogger);
    expect(log).not.toHaveBeenCalled();
    expect(error).not.toHaveBeenCalled();
  });
});
