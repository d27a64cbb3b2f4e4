import type { Callback, EpochLogs, TrainContext } from "./callbacks.js";

export interface EarlyStoppingOptions {
  /** The epoch log to watch, e.g. "val_loss" (default) or "val_accuracy". */
  monitor?: string;
  /** "min" for losses, "max" for accuracies; inferred from the name when absent. */
  mode?: "min" | "max";
  /** Epochs without improvement to wait before stopping. */
  patience?: number;
  /** A change smaller than this does not count as an improvement. */
  minDelta?: number;
}

/**
 * Stops `fit` once the monitored value has not improved by more than
 * `minDelta` for `patience` epochs (Keras' EarlyStopping).
 */
export class EarlyStopping implements Callback {
  readonly monitor: string;
  readonly mode: "min" | "max";
  readonly patience: number;
  readonly minDelta: number;
  best = NaN;
  bestEpoch = -1;
  wait = 0;
  stoppedEpoch = -1;

  constructor(options: EarlyStoppingOptions = {}) {
    this.monitor = options.monitor ?? "val_loss";
    this.mode = options.mode ?? (/acc|auc|precision|recall|f1/.test(this.monitor) ? "max" : "min");
    this.patience = options.patience ?? 0;
    this.minDelta = Math.abs(options.minDelta ?? 0);
    if (!Number.isInteger(this.patience) || this.patience < 0) {
      throw new RangeError(`EarlyStopping: patience must be a non-negative integer, got ${options.patience}`);
    }
  }

  onTrainBegin(): void {
    this.best = NaN;
    this.bestEpoch = -1;
    this.wait = 0;
    this.stoppedEpoch = -1;
  }

  onEpochEnd(logs: EpochLogs, context: TrainContext): void {
    const value = logs[this.monitor];
    if (value === undefined) {
      throw new Error(`EarlyStopping: monitored value "${this.monitor}" is not in the epoch logs (have: ${Object.keys(logs).join(", ")})`);
    }
    const improved =
      Number.isNaN(this.best) || (this.mode === "min" ? value < this.best - this.minDelta : value > this.best + this.minDelta);
    if (improved) {
      this.best = value;
      this.bestEpoch = logs.epoch;
      this.wait = 0;
      return;
    }
    this.wait++;
    if (this.wait > this.patience) {
      this.stoppedEpoch = logs.epoch;
      context.stopTraining = true;
    }
  }
}
