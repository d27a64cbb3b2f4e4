import { checkInRange, checkInteger, checkOptions } from "../../schedules/validate.js";
import { LRScheduler } from "./lrScheduler.js";
import type { OptimizerLike } from "./optimizerLike.js";

export interface LinearLROptions {
  /** Factor at epoch 0, in (0, 1] (default 1/3). */
  startFactor?: number;
  /** Factor from totalIters on, in [0, 1] (default 1). */
  endFactor?: number;
  /** Epochs of the ramp, an integer >= 1 (default 5). */
  totalIters?: number;
  lastEpoch?: number;
}

/**
 * Ramps every group's lr linearly from `startFactor * baseLr` to
 * `endFactor * baseLr` over `totalIters` epochs (a warmup when the factors
 * rise), matching torch.optim.lr_scheduler.LinearLR: closed form
 * `lr(e) = baseLr * (start + (end - start) * min(e, totalIters) / totalIters)`.
 */
export class LinearLR extends LRScheduler {
  readonly startFactor: number;
  readonly endFactor: number;
  readonly totalIters: number;

  constructor(optimizer: OptimizerLike, options: LinearLROptions = {}) {
    super("LinearLR", optimizer);
    checkOptions(this.name, options);
    this.startFactor = checkInRange(this.name, "startFactor", options.startFactor ?? 1 / 3, 0, 1, { lo: true });
    this.endFactor = checkInRange(this.name, "endFactor", options.endFactor ?? 1, 0, 1);
    this.totalIters = checkInteger(this.name, "totalIters", options.totalIters ?? 5, 1);
    this.start(options.lastEpoch ?? -1);
  }

  protected computeLr(): number[] {
    const groups = this.optimizer.paramGroups;
    const { startFactor: s, endFactor: f, totalIters: n } = this;
    if (this.lastEpoch === 0) return groups.map((g) => g.lr * s);
    if (this.lastEpoch > n) return groups.map((g) => g.lr);
    const ratio = 1 + (f - s) / (n * s + (this.lastEpoch - 1) * (f - s));
    return groups.map((g) => g.lr * ratio);
  }

  protected override closedFormLr(): number[] {
    const { startFactor: s, endFactor: f, totalIters: n } = this;
    return this.baseLrs.map((b) => b * (s + ((f - s) * Math.min(n, this.lastEpoch)) / n));
  }
}
