import cliProgress from "cli-progress";

/**
 * A progress bar on a stream, drawn only when the stream is a terminal: piped or redirected
 * stderr stays free of control characters. It appears with the first update, once the total
 * is known (a redrive learns it from the dead-letter queue's depth).
 */
export class ProgressBar {
  readonly #bar: cliProgress.SingleBar | undefined;
  #started = false;

  constructor(label: string, stream: NodeJS.WriteStream) {
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
  }

  /** Moves the bar to `value` of `total`, with a short detail after it. */
  update(value: number, total: number, detail = ""): void {
    if (!this.#bar) return;
    if (!this.#started) {
      this.#started = true;
      this.#bar.start(total, value, { detail });
      return;
    }
    this.#bar.setTotal(total);
    this.#bar.update(value, { detail });
  }

  /** Finishes the bar (a no-op when nothing was drawn). */
  stop(): void {
    if (this.#started) this.#bar?.stop();
  }
}
