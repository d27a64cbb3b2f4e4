import cliProgress from "cli-progress";
import type { BatchLogs, Callback, EpochLogs, TrainContext } from "./callbacks.js";

/** Where progress goes: a writable text stream (process.stderr by default). */
export interface TextStream {
  write(text: string): unknown;
  readonly isTTY?: boolean;
}

export interface ProgressBarOptions {
  /** Print nothing at all. */
  quiet?: boolean;
  /** Where to write; process.stderr by default (stdout stays clean for --json). */
  stream?: TextStream;
  /** Force plain per-epoch lines even on a terminal. */
  plain?: boolean;
}

/**
 * A progress bar per epoch on a terminal (cli-progress), and one plain
 * line per epoch when the stream is not a TTY (logs, CI) or `plain` is set.
 */
export class ProgressBar implements Callback {
  private bar: cliProgress.SingleBar | null = null;
  private readonly stream: TextStream;
  private readonly tty: boolean;
  private epochStart = 0;

  constructor(private readonly options: ProgressBarOptions = {}) {
    this.stream = options.stream ?? process.stderr;
    this.tty = this.stream.isTTY === true && options.plain !== true;
  }

  onEpochBegin(epoch: number, context: TrainContext): void {
    this.epochStart = performance.now();
    if (this.options.quiet || !this.tty) return;
    this.bar = new cliProgress.SingleBar(
      {
        // cli-progress only writes to and measures the stream; a TTY stream has what it needs.
        stream: this.stream as NodeJS.WritableStream,
        format: `epoch ${epoch + 1}/${context.epochs} [{bar}] {value}/{total} | loss {loss} | {rate} samples/s | eta {eta_formatted}`,
        hideCursor: true,
        clearOnComplete: true,
        etaBuffer: 50,
      },
      cliProgress.Presets.shades_classic,
    );
    this.bar.start(context.stepsPerEpoch, 0, { loss: "-", rate: "-" });
  }

  private samples = 0;

  onBatchEnd(logs: BatchLogs): void {
    if (logs.batch === 0) this.samples = 0;
    this.samples += logs.batchSize;
    if (this.bar === null) return;
    const seconds = (performance.now() - this.epochStart) / 1000;
    this.bar.update(logs.batch + 1, { loss: logs.loss.toFixed(4), rate: Math.round(this.samples / seconds) });
  }

  onEpochEnd(logs: EpochLogs, context: TrainContext): void {
    this.bar?.stop();
    this.bar = null;
    if (this.options.quiet) return;
    const seconds = (performance.now() - this.epochStart) / 1000;
    const extras = Object.entries(logs)
      .filter(([k]) => !HIDDEN.has(k))
      .map(([k, v]) => `${k} ${formatMetric(v)}`)
      .join("  ");
    this.stream.write(
      `epoch ${logs.epoch + 1}/${context.epochs}  loss ${logs.loss.toFixed(4)}  ${extras}  ${seconds.toFixed(1)}s  ${Math.round(this.samples / seconds)} samples/s\n`,
    );
  }
}

/** Logged elsewhere on the line (or not worth a column). */
const HIDDEN = new Set(["epoch", "loss", "seconds", "samplesPerSecond"]);

function formatMetric(v: number): string {
  return Math.abs(v) >= 1e-3 || v === 0 ? v.toFixed(4) : v.toExponential(3);
}
