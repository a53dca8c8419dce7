import cliProgress from "cli-progress";

/**
 * A progress bar on a stream, drawn only when the stream is a terminal: piped or redirected
 * stderr stays free of control characters.
 */
export class ProgressBar {
  readonly #bar: cliProgress.SingleBar | undefined;

  constructor(label: string, total: number, stream: NodeJS.WriteStream) {
    if (!stream.isTTY) return;
    this.#bar = new cliProgress.SingleBar(
      {
        stream,
        format: `${label} [{bar}] {value}/{total} {detail}`,
        hideCursor: true,
        clearOnComplete: false,
      },
      cliProgress.Presets.shades_classic,
    );
    this.#bar.start(total, 0, { detail: "" });
  }

  /** Moves the bar to `value` of `total`, with a short detail after it. */
  update(value: number, total: number, detail = ""): void {
    this.#bar?.setTotal(total);
    this.#bar?.update(value, { detail });
  }

  /** Finishes the bar (a no-op when nothing was drawn). */
  stop(): void {
    this.#bar?.stop();
  }
}
