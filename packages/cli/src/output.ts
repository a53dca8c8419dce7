import { ProgressBar } from "./progress-bar.js";

/**
 * Where a command's results go: a human rendering, or with `--json` only JSON on stdout.
 * Notes and progress go to stderr, so stdout stays parseable.
 */
export class Output {
  readonly json: boolean;

  constructor(json: boolean) {
    this.json = json;
  }

  /** Prints the result: `value` as JSON with `--json`, else what `human` renders. */
  result(value: unknown, human: () => string): void {
    const text = this.json ? JSON.stringify(value, null, 2) : human();
    if (text !== "") process.stdout.write(text.endsWith("\n") ? text : `${text}\n`);
  }

  /** A line for people, on stderr. */
  note(message: string): void {
    process.stderr.write(`${message}\n`);
  }

  /** A progress bar on stderr, drawn only when stderr is a terminal. */
  progress(label: string): ProgressBar {
    return new ProgressBar(label, process.stderr);
  }
}
