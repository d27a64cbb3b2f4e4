import { writeFileAtomic } from "../io/files.js";
import type { Callback, EpochLogs } from "./callbacks.js";

export interface HistoryLoggerOptions {
  /** "json" (an array of epoch records) or "csv" (a header and one row per epoch); from the file name by default. */
  format?: "json" | "csv";
}

/**
 * Writes the per-epoch logs (loss, learning rate, time, validation metrics)
 * to a JSON or CSV file after every epoch, atomically, so the file is
 * complete at any moment and can be watched or plotted while training runs
 * (Keras' CSVLogger).
 */
export class HistoryLogger implements Callback {
  readonly format: "json" | "csv";
  readonly rows: EpochLogs[] = [];

  constructor(
    readonly path: string,
    options: HistoryLoggerOptions = {},
  ) {
    this.format = options.format ?? (path.toLowerCase().endsWith(".csv") ? "csv" : "json");
    if (this.format !== "json" && this.format !== "csv") {
      throw new RangeError(`HistoryLogger: format must be "json" or "csv", got ${String(options.format)}`);
    }
  }

  onTrainBegin(): void {
    this.rows.length = 0;
  }

  onEpochEnd(logs: EpochLogs): void {
    this.rows.push({ ...logs });
    writeFileAtomic(this.path, this.format === "json" ? `${JSON.stringify(this.rows, null, 2)}\n` : toCsv(this.rows));
  }
}

/** CSV with the union of the rows' keys as columns, in first-seen order; missing cells are empty. */
export function toCsv(rows: readonly Record<string, number>[]): string {
  const keys: string[] = [];
  for (const r of rows) for (const k of Object.keys(r)) if (!keys.includes(k)) keys.push(k);
  const lines = rows.map((r) => keys.map((k) => (r[k] === undefined ? "" : String(r[k]))).join(","));
  return [keys.join(","), ...lines].join("\n") + "\n";
}
