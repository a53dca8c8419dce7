/**
 * The exit codes of `glasswork`, for scripts.
 *
 * @example
 * const code = await runCli(process.argv);
 * if (code === EXIT_CODES.findings) console.error("doctor found errors");
 */
export const EXIT_CODES = {
  /** Done as asked. */
  ok: 0,
  /** It ran, but found problems: doctor errors, messages that could not move, nothing matched. */
  findings: 1,
  /** Bad usage or input: unknown command or queue, invalid JSON or payload, no dead-letter queue. */
  usage: 2,
  /** AWS could not be reached or refused: credentials, network, a queue that does not exist. */
  aws: 3,
} as const;

/** One of {@link EXIT_CODES}. */
export type ExitCode = (typeof EXIT_CODES)[keyof typeof EXIT_CODES];
