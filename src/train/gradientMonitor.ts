import { gradStats, type GradStats, snapshotWeights } from "../nn/utils/gradStats.js";
import type { Tensor } from "../tensor/tensor.js";
import type { BatchLogs, Callback } from "./callbacks.js";

export interface GradientMonitorOptions {
  /** Record every `every` optimizer steps (default 1). */
  every?: number;
  /** Called with each record, e.g. to print or plot it. */
  onRecord?: (record: GradientRecord) => void;
  /** A total gradient norm below this counts as vanishing (default 1e-7). */
  vanishingBelow?: number;
  /** A total gradient norm above this counts as exploding (default 1e3). */
  explodingAbove?: number;
}

export interface GradientRecord {
  step: number;
  stats: GradStats;
  vanishing: boolean;
  exploding: boolean;
}

/**
 * A `fit` callback that reports, after optimizer steps, every layer's
 * gradient norm and update/weight ratio ||w_t - w_{t-1}|| / ||w_{t-1}||
 * (nn.utils.gradStats), flagging vanishing and exploding gradients. At the
 * end of a batch the gradients of that step are still in `.grad` and the
 * weights have just moved, so the snapshot taken at the previous record
 * gives exactly this step's update when `every` is 1.
 */
export class GradientMonitor implements Callback {
  readonly records: GradientRecord[] = [];
  private readonly every: number;
  private previous: Record<string, Float64Array> | undefined;

  constructor(
    private readonly model: { namedParameters(): Iterable<readonly [string, Tensor]> },
    private readonly options: GradientMonitorOptions = {},
  ) {
    this.every = options.every ?? 1;
    if (!Number.isInteger(this.every) || this.every < 1) throw new RangeError(`GradientMonitor: every must be a positive integer, got ${options.every}`);
  }

  onTrainBegin(): void {
    this.previous = snapshotWeights(this.model.namedParameters());
  }

  onBatchEnd(logs: BatchLogs): void {
    // Snapshot just before a recorded step's update, i.e. at the end of the step before it.
    if (logs.step % this.every !== 0) {
      if ((logs.step + 1) % this.every === 0) this.previous = snapshotWeights(this.model.namedParameters());
      return;
    }
    const stats = gradStats(this.model.namedParameters(), this.previous ? { previousWeights: this.previous } : {});
    const record: GradientRecord = {
      step: logs.step,
      stats,
      vanishing: stats.totalGradNorm < (this.options.vanishingBelow ?? 1e-7),
      exploding: !Number.isFinite(stats.totalGradNorm) || stats.totalGradNorm > (this.options.explodingAbove ?? 1e3),
    };
    this.records.push(record);
    this.options.onRecord?.(record);
    this.previous = this.every === 1 ? snapshotWeights(this.model.namedParameters()) : undefined;
  }
}
