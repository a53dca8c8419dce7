/** Log levels, from the most to the least verbose. */
export type LogLevel = "debug" | "info" | "warn" | "error";

type LogMethod = (obj: Record<string, unknown>, msg?: string) => void;

/**
 * The logger Glasswork writes to. Compatible with pino: pass a pino logger as it is.
 * Every line about a job carries `jobId`, `jobName` and `attempt` through `child()`.
 */
export interface Logger {
  debug: LogMethod;
  info: LogMethod;
  warn: LogMethod;
  error: LogMethod;
  child(bindings: Record<string, unknown>): Logger;
  /**
   * Optional, as pino's: whether a line of `level` would be written. Without it every level is
   * taken as written. The worker asks it for `debug` once per invocation, and skips timing each
   * job for its "job completed" line when that line would be dropped (and no hook wants the time).
   */
  isLevelEnabled?(level: LogLevel): boolean;
}

/** Options of {@link createJsonLogger}. */
export interface JsonLoggerOptions {
  /** The least severe level written. Default `"info"`. */
  level?: LogLevel;
  /** Fields added to every line. */
  bindings?: Record<string, unknown>;
  /** Where lines go. Default `console.log`. */
  write?: (line: string) => void;
}

const LEVELS: Record<LogLevel, number> = { debug: 20, info: 30, warn: 40, error: 50 };

/**
 * A logger that writes one JSON object per line, pino-style (`level`, `time`, `msg`), which
 * CloudWatch Logs Insights can query as it is.
 *
 * @example
 * const logger = createJsonLogger({ level: "debug", bindings: { service: "worker" } });
 * logger.info({ jobId: "42" }, "job started");
 */
export function createJsonLogger(options: JsonLoggerOptions = {}): Logger {
  const threshold = LEVELS[options.level ?? "info"];
  const bindings = options.bindings ?? {};
  const write = options.write ?? ((line: string) => console.log(line));

  const method =
    (level: LogLevel): LogMethod =>
    (obj, msg) => {
      if (LEVELS[level] < threshold) return;
      write(
        JSON.stringify(
          { level, time: Date.now(), ...bindings, ...serializeErrors(obj), msg },
          safeReplacer(),
        ),
      );
    };

  return {
    debug: method("debug"),
    info: method("info"),
    warn: method("warn"),
    error: method("error"),
    child: (more) => createJsonLogger({ ...options, bindings: { ...bindings, ...more } }),
    isLevelEnabled: (level) => LEVELS[level] >= threshold,
  };
}

/** A logger that drops everything; handy in tests. */
export const silentLogger: Logger = {
  debug: () => {},
  info: () => {},
  warn: () => {},
  error: () => {},
  child: () => silentLogger,
};

function serializeErrors(obj: Record<string, unknown>): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  for (const [key, value] of Object.entries(obj)) {
    out[key] = value instanceof Error ? serializeError(value) : value;
  }
  return out;
}

function serializeError(error: Error, seen = new Set<Error>()): Record<string, unknown> {
  seen.add(error);
  const out: Record<string, unknown> = {
    type: error.name,
    message: error.message,
    stack: error.stack,
  };
  const code = (error as { code?: unknown }).code;
  if (code !== undefined) out.code = code;
  if (error.cause !== undefined) {
    // A cause chain can loop (`a.cause = b; b.cause = a`): recursing would overflow the stack.
    out.cause = !(error.cause instanceof Error)
      ? error.cause
      : seen.has(error.cause)
        ? "[Circular]"
        : serializeError(error.cause, seen);
  }
  return out;
}

// A log call must never throw: cycles and BigInts are written as markers. Only an ancestor is
// a cycle: an object referenced twice side by side is written twice.
function safeReplacer() {
  const ancestors: unknown[] = [];
  return function (this: unknown, _key: string, value: unknown) {
    if (typeof value === "bigint") return value.toString();
    if (typeof value !== "object" || value === null) return value;
    // `this` is the object that holds `value`: whatever was entered after it is finished.
    while (ancestors.length > 0 && ancestors[ancestors.length - 1] !== this) ancestors.pop();
    if (ancestors.includes(value)) return "[Circular]";
    ancestors.push(value);
    return value;
  };
}
